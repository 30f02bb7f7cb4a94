import type { ProposalView } from '@parley/contracts';
import { AgreementStore } from '@parley/agreement/application/agreement-store';
import { useMediation } from './support/mediation';
import { raceInside, readDuring, reRole } from './support/read-race';

/**
 * Who reads the negotiating text and what they are shown belong to one moment: the viewer's role
 * and party are read on the same snapshot as the proposals. A delegate re-roled to observer (who
 * may see tabled text only) after the permission was read, with a private proposal of their
 * delegation made meanwhile, is shown the proposals as they stood while they were a delegate,
 * never the new one. On the embedded database (one connection) the change waits for the read.
 */
describe('agreement reads on one snapshot', () => {
  const ctx = useMediation();

  it('a delegate re-roled between the permission and the proposals is never shown a private proposal made after', async () => {
    const m = ctx.m();
    const clause = (
      await m.post(m.mediator, '/agreement/changes', { change: { kind: 'insert', wording: { text: 'The ports reopen.' } } }).expect(201)
    ).body.clauseId as string;
    const listed = await readDuring(
      raceInside(
        ctx.app().app.get(AgreementStore),
        'proposals',
        () => true,
        async () => {
          await reRole(ctx.app(), m, m.a2, 'observer');
          await m
            .post(m.a1, '/agreement/proposals', {
              visibility: 'private',
              change: { kind: 'replace', clauseId: clause, baseVersion: 1, wording: { text: 'The ports reopen MKAFTERROLE at once.' } },
            })
            .expect(201);
        },
      ),
      () => m.get(m.a2, '/agreement/proposals'),
    );
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain('MKAFTERROLE');
    expect((await m.get(m.a2, '/agreement/proposals').expect(403)).body.code).toBe('OBSERVER_TABLED_ONLY');
    expect((await m.get(m.a1, '/agreement/proposals').expect(200)).body.map((p: ProposalView) => p.change)).toEqual([
      expect.objectContaining({ wording: expect.objectContaining({ text: 'The ports reopen MKAFTERROLE at once.' }) }),
    ]);
  });
});
