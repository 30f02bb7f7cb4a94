import { DataSource } from 'typeorm';
import { useMediation, type Mediation } from './support/mediation';

/**
 * A change of the negotiating text is decided on the actor's role and party and the session's
 * status, and those are held until it commits: the session row is locked against changes (a role,
 * status or placement change locks it to write). Here a suspension is under way in another
 * transaction, not yet committed, when a delegate marks a clause: the mark waits for it, then sees
 * the session suspended and changes nothing. Unlocked, the mark would read the status as it was
 * and commit while the suspension was still open (each statement of a transaction reads what is
 * committed when it runs, so the audit chain could then record a delegate's act after the break
 * that forbids it). On PostgreSQL the suspension holds the row from another connection; on the
 * embedded database (one connection) the mark waits for the whole transaction either way.
 */
describe('an agreement change waits for a status change under way, and is decided on its outcome', () => {
  const ctx = useMediation();
  let m: Mediation;
  beforeAll(() => {
    m = ctx.m();
  });

  it('a mark during an uncommitted suspension: waits, then 409 SESSION_NOT_OPEN, nothing marked', async () => {
    const inserted = (
      await m
        .post(m.mediator, '/agreement/changes', { change: { kind: 'insert', heading: 'Water', wording: { text: 'Water is shared.' } } })
        .expect(201)
    ).body as { clauseId: string; clauses: Array<{ id: string; version: number; state: string }> };
    const clause = inserted.clauses.find((c) => c.id === inserted.clauseId)!;
    const ds = ctx.app().app.get(DataSource);

    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let suspended!: () => void;
    const underWay = new Promise<void>((r) => (suspended = r));
    const suspension = ds.transaction(async (tx) => {
      await tx.query(`UPDATE mediation_sessions SET status = 'suspended' WHERE id = $1`, [m.session.id]);
      suspended();
      await released;
    });
    await underWay;
    let answered = false;
    const mark = m
      .post(m.a1, `/agreement/clauses/${clause.id}/mark`, { baseVersion: clause.version, level: 'ad_referendum' })
      .then((r) => ((answered = true), r));
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(answered).toBe(false);
    } finally {
      release();
      await suspension;
    }
    const res = await mark;
    expect([res.status, res.body.code]).toEqual([409, 'SESSION_NOT_OPEN']);

    await ds.query(`UPDATE mediation_sessions SET status = 'open' WHERE id = $1`, [m.session.id]);
    const text = (await m.get(m.mediator, '/agreement').expect(200)).body as { clauses: Array<{ id: string; state: string }> };
    expect(text.clauses.find((c) => c.id === clause.id)?.state).toBe(clause.state);
    // Open again: the same mark goes through.
    await m.post(m.a1, `/agreement/clauses/${clause.id}/mark`, { baseVersion: clause.version, level: 'ad_referendum' }).expect(200);
  });
});
