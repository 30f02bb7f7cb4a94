import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditTrail, contentDigest, verifyTrail, type TrailEntry } from '@parley/audit';
import type { ShuttleMessageView } from '@parley/contracts';
import { ManualClock, UnitOfWork } from '@parley/platform';
import { CoolingOffScheduler } from '@parley/shuttle/application/cooling-off.scheduler';
import { startApp, TestClient, type TestApp } from './support/harness';
import { startMediation, type Mediation } from './support/mediation';
import { bearer, inviteNew, register, type Person } from './support/people';
import { ACTORS, COOLING_AUDIT_TABLE, type Actor, type CoolingStage, type TrailOutcome } from './support/permission-table';

/**
 * A shuttle message cooling off is invisible to the mediators, in the audit trail too: its
 * submission and its withdrawal are sealed entries — a place in the chain and a salted commitment —
 * until its release opens them; a withdrawn message's stay sealed. Generated over every actor of
 * COOLING_AUDIT_TABLE, at three moments, from everything each actor is given: the trail (REST, with
 * its verification), live socket events, the shuttle list and every room's history.
 */
const sha256 = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');
const PERIOD_S = 600;

/** Two messages from party A's head: W is withdrawn during its cooling-off, R is released. */
const TEXT = { W: 'We could yield the ford MKCOOLW', R: 'Yes MKCOOLR' } as const;
type Key = keyof typeof TEXT;
const MARKER: Record<Key, string> = { W: 'MKCOOLW', R: 'MKCOOLR' };

/** The moments gathered, and each message's stage at them. */
const MOMENTS = ['both cooling', 'W withdrawn', 'R released'] as const;
type Moment = (typeof MOMENTS)[number];
const STAGE: Record<Moment, Record<Key, CoolingStage>> = {
  'both cooling': { W: 'cooling', R: 'cooling' },
  'W withdrawn': { W: 'withdrawn', R: 'cooling' },
  'R released': { W: 'withdrawn', R: 'released' },
};

interface Gathered {
  trail: { status: number; body: any };
  /** Socket events received since the previous moment. */
  live: unknown[];
  rest: unknown[];
}

let app: TestApp;
let m: Mediation;
const clock = new ManualClock();
const people = {} as Record<Exclude<Actor, 'anonymous'>, Person>;
const live = {} as Partial<Record<Actor, TestClient>>;
const ids = {} as Record<Key, string>;
const gathered = {} as Record<Moment, Record<Actor, Gathered>>;
/** The trail's length before the first message: every later entry is about W or R. */
let baseline: number;
/** The seqs of each message's entries, from the server's full store (the ground truth). */
const seqsOf = {} as Record<Moment, Record<Key, number[]>>;

async function gather(moment: Moment): Promise<void> {
  gathered[moment] = {} as Record<Actor, Gathered>;
  for (const c of Object.values(live)) await c.sync();
  for (const actor of ACTORS) {
    const who = actor === 'anonymous' ? null : people[actor];
    const get = (path: string) => {
      const req = app.http().get(`/api/sessions/${m.session.id}${path}`);
      return who ? req.set(bearer(who)) : req;
    };
    const trail = await get('/audit');
    const rest: unknown[] = [(await get('/shuttle')).body];
    for (const roomId of [m.plenary, m.caucusA, m.caucusB, m.mediatorRoom])
      rest.push((await get(`/rooms/${roomId}/events?limit=200`)).body);
    const client = live[actor];
    gathered[moment][actor] = { trail: { status: trail.status, body: trail.body }, live: client ? [...client.events] : [], rest };
    client?.clear();
  }
  const full = await app.app.get(AuditTrail).entries(app.app.get(UnitOfWork).autocommit, m.session.id);
  seqsOf[moment] = { W: [], R: [] };
  for (const e of full) for (const key of ['W', 'R'] as const) if (e.payload.messageId === ids[key]) seqsOf[moment][key].push(e.seq);
}

beforeAll(async () => {
  app = await startApp({}, undefined, { clock });
  m = await startMediation(app, { interpreters: true });
  Object.assign(people, {
    leadMediator: m.mediator,
    coMediator: await inviteNew(app, m.mediator, m.session.id, 'Co Mediator', { role: 'co_mediator' }),
    partyAHead: m.a1,
    partyAMember: m.a2,
    partyBMember: m.b2,
    observer: m.observer,
    partyAInterpreter: m.ia,
    mediatorsInterpreter: m.im,
    nonParticipant: await register(app, 'Outsider'),
  });
  for (const [actor, p] of Object.entries(people) as Array<[Actor, Person]>) {
    live[actor] = m.clients.get(p) ?? (await TestClient.connect(app.url, p.token));
    if (actor === 'coMediator') await live[actor].join(m.session.id);
  }
  // The co-mediator sits in caucus A, where a released message's status is streamed.
  await m.place(people.coMediator, m.caucusA);
  await app.http().patch(`/api/sessions/${m.session.id}`).set(bearer(m.mediator)).send({ coolingOffSeconds: PERIOD_S }).expect(200);
  baseline = (await app.app.get(AuditTrail).entries(app.app.get(UnitOfWork).autocommit, m.session.id)).length;
  for (const c of Object.values(live)) c.clear();

  const submit = async (key: Key, body: object) =>
    (ids[key] = (
      (await m.post(m.a1, '/shuttle', { text: TEXT[key], clientMessageId: randomUUID(), ...body }).expect(201)).body as ShuttleMessageView
    ).id);
  await submit('W', { label: 'conveyable', conveyToPartyId: m.partyB });
  await submit('R', { label: 'mediator_only' });
  await gather('both cooling');

  await m.post(m.a1, `/shuttle/${ids.W}/withdraw`).expect(200);
  await gather('W withdrawn');

  clock.advance(PERIOD_S * 1000);
  await app.app.get(CoolingOffScheduler).releaseDue();
  await gather('R released');
}, 120_000);

afterAll(async () => {
  Object.values(live).forEach((c) => c?.close());
  await app.close();
});

const textOf = (g: Gathered) => JSON.stringify([g.trail.body, g.live, g.rest]);

describe.each(MOMENTS)('%s', (moment) => {
  describe.each(ACTORS)('%s', (actor) => {
    const g = () => gathered[moment][actor];
    const entries = () => g().trail.body.entries as TrailEntry[];

    it.each(['W', 'R'] as const)("is given the audit of %s as the table says, and the message's material only if entitled", (key) => {
      const stage = STAGE[moment][key];
      const outcome: TrailOutcome = COOLING_AUDIT_TABLE[actor][stage];
      const all = textOf(g());
      // The party that wrote it knows it (its shuttle list, its caucus once released) — never through the trail.
      const partyA = actor === 'partyAHead' || actor === 'partyAMember';
      expect({ marker: all.includes(MARKER[key]) }).toEqual({ marker: partyA || (outcome === 'open' && stage === 'released') });
      expect({ textSha256: all.includes(sha256(TEXT[key])) }).toEqual({ textSha256: outcome === 'open' });
      expect({ id: all.includes(ids[key]) }).toEqual({ id: partyA || outcome === 'open' });
      if (outcome !== 'sealed' && outcome !== 'open') {
        expect({ status: g().trail.status, code: g().trail.body.code }).toEqual({ status: expect.any(Number), code: outcome });
        expect(g().trail.status).toBeGreaterThanOrEqual(400);
        return;
      }
      expect(g().trail.status).toBe(200);
      const seqs = seqsOf[moment][key];
      expect(seqs.length).toBe(stage === 'cooling' ? 1 : 2);
      const shown = entries().filter((e) => seqs.includes(e.seq));
      if (outcome === 'sealed') {
        // A sealed entry by nobody: its place and its commitment, nothing else.
        for (const e of shown) expect(Object.keys(e).sort()).toEqual(['digest', 'hash', 'prevHash', 'seq', 'type']);
        expect(shown.map((e) => e.type)).toEqual(seqs.map(() => 'sealed'));
      } else {
        expect(shown.map((e) => e.type)).toEqual(['shuttle.message.submitted', 'shuttle.message.queued']);
        expect(shown[0]).toMatchObject({
          actorParticipantId: m.a1.participantId,
          payload: { messageId: ids[key], label: 'mediator_only', conveyToPartyId: null, textSha256: sha256(TEXT[key]) },
        });
      }
    });

    it('verifies the chain over what it is given, sealed entries included', () => {
      if (g().trail.status !== 200) return expect(COOLING_AUDIT_TABLE[actor].cooling).not.toMatch(/^(sealed|open)$/);
      expect(g().trail.body.verification).toEqual({ valid: true, length: entries().length });
      expect(verifyTrail(m.session.id, entries())).toEqual({ valid: true, length: entries().length });
      // Nothing since the first message is readable but what the table opens.
      const readable = entries().filter((e) => e.seq > baseline && e.type !== 'sealed');
      expect(readable.map((e) => e.type)).toEqual(moment === 'R released' ? ['shuttle.message.submitted', 'shuttle.message.queued'] : []);
    });
  });
});

describe('the commitment', () => {
  it('shown while R cooled is the digest of the entry R released', () => {
    const seq = seqsOf['R released'].R[0];
    const sealedThen = (gathered['both cooling'].leadMediator.trail.body.entries as TrailEntry[]).find((e) => e.seq === seq);
    const readNow = (gathered['R released'].leadMediator.trail.body.entries as any[]).find((e) => e.seq === seq);
    expect(sealedThen).toMatchObject({ type: 'sealed', digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(contentDigest({ ...readNow, sessionId: m.session.id })).toBe((sealedThen as { digest: string }).digest);
    expect(readNow.payload.seal).toEqual({ key: `shuttle.message:${ids.R}`, nonce: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });
});

describe('a tampered sealed entry', () => {
  let verdict: any;
  let shown: TrailEntry[];
  let sealedSeq: number;
  beforeAll(async () => {
    // The withdrawn message's submission, rewritten behind the trigger that keeps the table append-only.
    sealedSeq = seqsOf['R released'].W[0];
    const db = app.app.get(DataSource);
    await db.query(`ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_update_delete`);
    try {
      await db.query(
        `UPDATE audit_entries SET payload = jsonb_set(payload, '{label}', '"mediator_only"') WHERE session_id = $1 AND seq = $2`,
        [m.session.id, sealedSeq],
      );
    } finally {
      await db.query(`ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_update_delete`);
    }
    const res = await m.get(m.mediator, '/audit').expect(200);
    verdict = res.body.verification;
    shown = res.body.entries;
  });

  it('fails the verification, at that entry, still sealed', () => {
    expect(verdict).toEqual({ valid: false, brokenAtSeq: sealedSeq, reason: 'hash' });
    expect(verifyTrail(m.session.id, shown)).toEqual({ valid: false, brokenAtSeq: sealedSeq, reason: 'hash' });
    expect(shown.find((e) => e.seq === sealedSeq)?.type).toBe('sealed');
    expect(JSON.stringify(shown)).not.toContain(ids.W);
  });

  it('fails a reader’s verification when its commitment is changed', () => {
    const before = gathered['R released'].coMediator.trail.body.entries as TrailEntry[];
    const forged = before.map((e) => (e.seq === sealedSeq ? { ...e, digest: sha256('another commitment') } : e));
    expect(verifyTrail(m.session.id, forged)).toEqual({ valid: false, brokenAtSeq: sealedSeq, reason: 'hash' });
  });
});
