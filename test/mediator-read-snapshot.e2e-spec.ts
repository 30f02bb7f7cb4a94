import type { ConsultationResults, ConsultationView, ModerationItem } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { ConsultationStore } from '../libs/consultation/src/application/consultation-store';
import { createConsultation, respondentHttp, startRespondent, type TestRespondent } from './support/consultation';
import { useMediation } from './support/mediation';
import { inviteNew, type Person } from './support/people';
import { raceInside, readDuring, reRole } from './support/read-race';

/**
 * The mediators' own reads decide who asks and read what they are shown on one snapshot: the
 * consultation's list, its moderation queue and its results, and the session's audit trail. A
 * co-mediator re-roled to observer after their right was read, with a respondent writing (or the
 * lead approving, or the re-role itself entered in the trail) meanwhile, is shown what stood while
 * they were a mediator, never what came after; asked again, they are refused (MEDIATOR_ONLY).
 * Each race lands after the right was read, before the data. On the embedded database (one
 * connection) the change waits for the read. Read one after the other in autocommit, each of
 * these served the later write.
 */
describe('mediators’ reads on one snapshot', () => {
  const ctx = useMediation();
  let c: ConsultationView;
  let respondent: TestRespondent;
  let n = 0;

  beforeAll(async () => {
    c = await createConsultation(ctx.m());
    respondent = await startRespondent(ctx.app(), c.groups[0].link, 0);
  });

  const coMediator = (): Promise<Person> =>
    inviteNew(ctx.app(), ctx.m().mediator, ctx.m().session.id, `Co Mediator ${++n}`, { role: 'co_mediator' });
  const write = async (text: string): Promise<string> => {
    const res = await respondentHttp(ctx.app(), respondent).post('/statements', { text });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const refusedNow = async (who: Person, path: string) => {
    const res = await ctx.m().get(who, path).expect(403);
    expect(res.body.code).toBe('MEDIATOR_ONLY');
  };
  /** `change` lands inside the store's `method` for this consultation, once the reader's right was read. */
  const raceOn = (method: 'statements' | 'counts' | 'resultsInput', change: () => Promise<unknown>) =>
    raceInside(ctx.app().app.get(ConsultationStore), method, (...args: [unknown, unknown, ...unknown[]]) => args[1] === c.id, change);

  it('the moderation queue: a co-mediator re-roled between the right and the queue is not shown a statement written after', async () => {
    const m = ctx.m();
    const co = await coMediator();
    const path = `/consultations/${c.id}/statements?status=pending`;
    const queue = await readDuring(
      raceOn('statements', async () => {
        await reRole(ctx.app(), m, co, 'observer');
        await write('The harbour MKQUEUE stays open at night.');
      }),
      () => m.get(co, path),
    );
    expect(queue.status).toBe(200);
    expect(JSON.stringify(queue.body)).not.toContain('MKQUEUE');
    await refusedNow(co, path);
    const now = (await m.get(m.mediator, path).expect(200)).body as ModerationItem[];
    expect(now.map((s) => s.text)).toContain('The harbour MKQUEUE stays open at night.');
  });

  it('the list: its counts are those from before a statement written after the re-role', async () => {
    const m = ctx.m();
    const co = await coMediator();
    const pending = async (who: Person) =>
      ((await m.get(who, '/consultations').expect(200)).body as ConsultationView[]).find((x) => x.id === c.id)!.counts.pending;
    const before = await pending(m.mediator);
    const listed = await readDuring(
      raceOn('counts', async () => {
        await reRole(ctx.app(), m, co, 'observer');
        await write('Fishing boats of both shores keep their moorings.');
      }),
      () => m.get(co, '/consultations'),
    );
    expect(listed.status).toBe(200);
    expect((listed.body as ConsultationView[]).find((x) => x.id === c.id)!.counts.pending).toBe(before);
    await refusedNow(co, '/consultations');
    expect(await pending(m.mediator)).toBe(before + 1);
  });

  it('the results: a statement approved after the re-role is not in them', async () => {
    const m = ctx.m();
    const co = await coMediator();
    const id = await write('The MKRESULTS quay is shared by both fleets.');
    const path = `/consultations/${c.id}/results`;
    const results = await readDuring(
      raceOn('resultsInput', async () => {
        await reRole(ctx.app(), m, co, 'observer');
        await m.post(m.mediator, `/consultations/${c.id}/statements/${id}/moderation`, { decision: 'approve' }).expect(200);
      }),
      () => m.get(co, path),
    );
    expect(results.status).toBe(200);
    expect(JSON.stringify(results.body)).not.toContain('MKRESULTS');
    await refusedNow(co, path);
    const now = (await m.get(m.mediator, path).expect(200)).body as ConsultationResults;
    expect(now.statements.map((s) => s.text)).toContain('The MKRESULTS quay is shared by both fleets.');
  });

  it('the audit trail: a co-mediator re-roled between the right and the entries is not shown the entry of their own re-role', async () => {
    const m = ctx.m();
    const co = await coMediator();
    type Entry = { type: string; payload: { participantId?: string } };
    const reRoled = (entries: Entry[]) =>
      entries.filter((e) => e.type === 'participant.role_changed' && e.payload.participantId === co.participantId);
    const trail = await readDuring(
      raceInside(
        ctx.app().app.get(AuditTrail),
        'entries',
        (_tx, sessionId) => sessionId === m.session.id,
        () => reRole(ctx.app(), m, co, 'observer'),
      ),
      () => m.get(co, '/audit'),
    );
    expect(trail.status).toBe(200);
    expect(reRoled(trail.body.entries)).toEqual([]);
    expect(trail.body.verification).toEqual({ valid: true, length: trail.body.entries.length });
    await refusedNow(co, '/audit');
    expect(reRoled((await m.get(m.mediator, '/audit').expect(200)).body.entries)).toHaveLength(1);
  });
});
