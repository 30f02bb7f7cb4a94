import { randomUUID } from 'node:crypto';
import type { DraftScope, ParticipantView } from '@parley/contracts';
import { Y, sync } from '@parley/agreement/infrastructure/yjs';
import type { Participant, Room } from '@parley/sessions/domain/model';
import { isMediator } from '@parley/sessions/domain/model';
import { maySeeConveyed } from '@parley/shuttle/domain/audience.policy';
import {
  CASES,
  lineOf,
  ruleOf,
  writing,
  type AuthorRole,
  type Composer,
  type Expected,
  type RoomSlot,
  type World,
} from '../apps/web/src/audience/audience-table';
import { sentenceOf, type AudienceSentence } from '../apps/web/src/audience/audience-sentence';
import { startApp, TestClient, type TestApp } from './support/harness';
import { DraftEditor, syncMessage } from './support/drafts';
import { startMediation, type Mediation } from './support/mediation';
import { inviteNew, type Person } from './support/people';

/**
 * "Who can see this?" is true: for every case of the table (role × room kind × composer) where the
 * author may write, the author writes a unique marker for real — over HTTP and Socket.IO, on a
 * running server — and every actor of the session looks for it everywhere it could reach them:
 * its live socket (binary draft updates included), and what it may read (room history, the
 * shuttle list, the proposals, the text, a fresh read of the draft). The set of those who got it
 * must be exactly the audience the domain's rule computes — the rule the page's line is made
 * from — and the line's counts must be those of the people who got it. Where the author may not
 * write, the server refuses and nobody gets the marker. A conveyable shuttle message reaches the
 * party it names only once a mediator conveys it; one for the mediator only cannot be conveyed.
 */
const ACTORS = ['mediator', 'coMediator', 'head', 'member', 'southHead', 'southMember', 'observer'] as const;
type Actor = (typeof ACTORS)[number];

/** Every string and every byte of binary anywhere in a payload; binary as latin1 (markers are ASCII). */
function texts(x: unknown, out: string[] = []): string[] {
  if (x === null || x === undefined) return out;
  if (typeof x === 'string') out.push(x);
  else if (x instanceof Uint8Array) out.push(Buffer.from(x).toString('latin1'));
  else if (x instanceof ArrayBuffer) out.push(Buffer.from(new Uint8Array(x)).toString('latin1'));
  else if (Array.isArray(x)) x.forEach((v) => texts(v, out));
  else if (typeof x === 'object') for (const v of Object.values(x)) texts(v, out);
  return out;
}
const mentions = (x: unknown, marker: string) => texts(x).some((s) => s.includes(marker));

interface Outcome {
  role: AuthorRole;
  room: RoomSlot;
  composer: Composer;
  expected: Expected;
  /** The server's answer to the write. */
  status: number;
  code: string | null;
  /** Who got the marker, live or by reading. */
  received: Actor[];
  /** Who the domain's rule says may read it. */
  audience: Actor[];
  sentence: AudienceSentence | null;
  /** Conveyable shuttle messages: who got it after the mediator conveyed it, and who the rule says. */
  afterConvey?: { received: Actor[]; audience: Actor[] };
  /** Messages for the mediator only: the answer to an attempt to convey one. */
  conveyRefused?: { status: number; code: string | null };
}

let app: TestApp;
let m: Mediation;
const people = {} as Record<Actor, Person>;
const clients = {} as Record<Actor, TestClient>;
const participants = {} as Record<Actor, Participant>;
let world: World;
let jointRoom: string;
const outcomes: Outcome[] = [];

beforeAll(async () => {
  app = await startApp();
  m = await startMediation(app);
  const co = await inviteNew(app, m.mediator, m.session.id, 'Cleo Comediator', { role: 'co_mediator' });
  const coClient = await TestClient.connect(app.url, co.token);
  await coClient.join(m.session.id);
  Object.assign(people, {
    mediator: m.mediator,
    coMediator: co,
    head: m.a1,
    member: m.a2,
    southHead: m.b1,
    southMember: m.b2,
    observer: m.observer,
  });
  for (const a of ACTORS) clients[a] = a === 'coMediator' ? coClient : m.client(people[a]);
  jointRoom = (await m.post(m.mediator, '/rooms', { name: 'Heads', memberIds: [m.a1.participantId!, m.b1.participantId!] }).expect(201))
    .body.id;
  const list = (await m.get(m.mediator, '/participants').expect(200)).body as ParticipantView[];
  for (const a of ACTORS) {
    const p = list.find((x) => x.id === people[a].participantId)!;
    participants[a] = { id: p.id, role: p.role, partyId: p.partyId, isHead: p.isHead };
  }
  const room = (id: string, kind: Room['kind'], partyId: string | null = null, memberIds: string[] = []): Room => ({
    id,
    kind,
    partyId,
    memberIds,
    closed: false,
  });
  world = {
    roster: {
      participants: list.map((p) => ({ id: p.id, role: p.role, partyId: p.partyId, isHead: p.isHead })),
      partyIds: [m.partyA, m.partyB],
    },
    north: m.partyA,
    south: m.partyB,
    rooms: {
      plenary: room(m.plenary, 'plenary'),
      mediators: room(m.mediatorRoom, 'mediator'),
      ownCaucus: room(m.caucusA, 'caucus', m.partyA),
      otherCaucus: room(m.caucusB, 'caucus', m.partyB),
      joint: room(jointRoom, 'joint', null, [m.a1.participantId!, m.b1.participantId!]),
    },
  };
  // A clause, so the text is being drafted.
  await m
    .post(m.mediator, '/agreement/changes', { change: { kind: 'insert', afterClauseId: null, wording: { text: 'The parties meet.' } } })
    .expect(201);

  // Where everyone is between cases: each delegation in its caucus, the observer in the plenary,
  // both mediators in their room.
  const home: Record<Actor, string> = {
    mediator: m.mediatorRoom,
    coMediator: m.mediatorRoom,
    head: m.caucusA,
    member: m.caucusA,
    southHead: m.caucusB,
    southMember: m.caucusB,
    observer: m.plenary,
  };
  const where = {} as Record<Actor, string | null>;
  for (const a of ACTORS) where[a] = a === 'coMediator' ? null : home[a];
  const place = async (a: Actor, roomId: string) => {
    if (where[a] === roomId) return;
    await m.post(m.mediator, `/participants/${people[a].participantId}/move`, { roomId }).expect(200);
    where[a] = roomId;
  };

  for (const c of CASES) {
    const author = c.role as Actor;
    for (const a of ACTORS) if (a !== author) await place(a, home[a]);
    await place(author, world.rooms[c.room].id);
    await Promise.all(ACTORS.map((a) => clients[a].sync()));
    for (const a of ACTORS) clients[a].clear();
    outcomes.push(await runCase(author, c.room, c.composer, c.expected));
  }
}, 600_000);

afterAll(async () => {
  m?.close();
  await app?.close();
});

/** The author writes `marker` with the composer; the server's answer. */
async function write(
  author: Actor,
  slot: RoomSlot,
  composer: Composer,
  marker: string,
): Promise<{ status: number; code: string | null; id?: string }> {
  const who = people[author];
  const answer = (res: { status: number; body: any }) => ({ status: res.status, code: res.body?.code ?? null, id: res.body?.id });
  switch (composer) {
    case 'chat':
      return answer(
        await m.post(who, `/rooms/${world.rooms[slot].id}/messages`, { text: `Said ${marker}`, clientMessageId: randomUUID() }),
      );
    case 'shuttleMediatorOnly':
    case 'shuttleConveyable':
      return answer(
        await m.post(who, '/shuttle', {
          text: `Written ${marker}`,
          clientMessageId: randomUUID(),
          ...(composer === 'shuttleConveyable' ? { label: 'conveyable', conveyToPartyId: m.partyB } : { label: 'mediator_only' }),
        }),
      );
    case 'proposalPrivate':
    case 'proposalTabled':
      return answer(
        await m.post(who, '/agreement/proposals', {
          visibility: composer === 'proposalTabled' ? 'tabled' : 'private',
          change: { kind: 'insert', afterClauseId: null, wording: { text: `Proposed ${marker}` } },
          clientProposalId: randomUUID(),
        }),
      );
    case 'draftParty':
    case 'draftMediators': {
      const scope: DraftScope = composer === 'draftParty' ? { kind: 'party', partyId: m.partyA } : { kind: 'mediators' };
      const editor = new DraftEditor(scope);
      await editor.connect(clients[author]);
      editor.text.insert(0, `Drafted ${marker} `);
      await editor.settled();
      editor.goOffline();
      const refusal = editor.refused[0];
      return refusal && !refusal.ok ? { status: 403, code: refusal.error.code } : { status: 200, code: null };
    }
    case 'document':
      return answer(
        await m.post(who, '/agreement/changes', { change: { kind: 'insert', afterClauseId: null, wording: { text: `Clause ${marker}` } } }),
      );
  }
}

/** Everything an actor may read where the marker could be, as text. */
async function reads(a: Actor, composer: Composer, slot: RoomSlot): Promise<unknown[]> {
  const who = people[a];
  const ok = (res: { status: number; body: unknown }) => (res.status < 300 ? res.body : null);
  const history = async (roomId: string) => ok(await m.get(who, `/rooms/${roomId}/events`));
  switch (composer) {
    case 'chat':
      return [await history(world.rooms[slot].id)];
    case 'shuttleMediatorOnly':
    case 'shuttleConveyable':
      return [ok(await m.get(who, '/shuttle')), await history(m.caucusA), await history(m.caucusB)];
    case 'proposalPrivate':
    case 'proposalTabled':
      return [ok(await m.get(who, '/agreement/proposals'))];
    case 'draftParty':
    case 'draftMediators': {
      const draft: DraftScope = composer === 'draftParty' ? { kind: 'party', partyId: m.partyA } : { kind: 'mediators' };
      const r = await clients[a].ask('draft.sync', {
        draft,
        message: syncMessage(sync.messageYjsSyncStep1, Y.encodeStateVector(new Y.Doc())),
      });
      return [r.ok ? r.data : null];
    }
    case 'document':
      return [ok(await m.get(who, '/agreement'))];
  }
}

async function whoGot(marker: string, composer: Composer, slot: RoomSlot): Promise<Actor[]> {
  await Promise.all(ACTORS.map((a) => clients[a].sync()));
  const got: Actor[] = [];
  for (const a of ACTORS) {
    const live = clients[a].events.some((e) => mentions(e.payload, marker));
    if (live || (await reads(a, composer, slot)).some((x) => mentions(x, marker))) got.push(a);
  }
  return got;
}

async function runCase(author: Actor, slot: RoomSlot, composer: Composer, expected: Expected): Promise<Outcome> {
  const marker = `MK${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
  const answer = await write(author, slot, composer, marker);
  const received = await whoGot(marker, composer, slot);
  const w = writing(participants[author], composer, world.rooms[slot], world);
  const rule = ruleOf(w);
  const outcome: Outcome = {
    role: author as AuthorRole,
    room: slot,
    composer,
    expected,
    status: answer.status,
    code: answer.code,
    received,
    audience: ACTORS.filter((a) => rule(participants[a])),
    sentence: null,
  };
  if (answer.status >= 300) return outcome;
  const { line, note } = lineOf(participants[author], w, world.roster);
  outcome.sentence = sentenceOf(line, note);
  if (composer === 'shuttleConveyable' && answer.id) {
    await m.post(m.mediator, `/shuttle/${answer.id}/decide`, { decision: 'convey', mode: 'verbatim' }).expect(200);
    const conveyed = { partyId: m.partyA, label: 'conveyable' as const, conveyToPartyId: m.partyB, status: 'conveyed' as const };
    outcome.afterConvey = {
      received: await whoGot(marker, composer, slot),
      audience: ACTORS.filter((a) => rule(participants[a]) || maySeeConveyed(participants[a], conveyed)),
    };
  }
  if (composer === 'shuttleMediatorOnly' && answer.id) {
    const res = await m.post(m.mediator, `/shuttle/${answer.id}/decide`, { decision: 'convey', mode: 'verbatim' });
    outcome.conveyRefused = { status: res.status, code: res.body?.code ?? null };
    if (!(await whoGot(marker, composer, slot)).every((a) => outcome.audience.includes(a))) outcome.conveyRefused.code = 'LEAKED';
  }
  return outcome;
}

const party = (slot?: 'north' | 'south') => (slot === 'north' ? m.partyA : slot === 'south' ? m.partyB : undefined);
function expectedSentence(e: Exclude<Expected, null>): AudienceSentence {
  const s: AudienceSentence = { key: e.key };
  if (e.party) s.party = party(e.party);
  if (e.count) s.count = e.count;
  if (e.wrap) s.wrap = { key: e.wrap.key, ...(e.wrap.party ? { party: party(e.wrap.party) } : {}) };
  return s;
}

describe('"Who can see this?" against who actually received it (generated from the table)', () => {
  it('ran every case of the table', () => {
    expect(outcomes).toHaveLength(CASES.length);
    expect(outcomes.filter((o) => o.expected !== null).length).toBeGreaterThan(40);
  });

  it.each(CASES.map((c, i) => [`${c.role} in ${c.room}: ${c.composer}`, i] as const))('%s', (_name, i) => {
    const o = outcomes[i];
    if (o.expected === null) {
      // Refused, with a stable code, and nobody received the marker (not even the author's own socket).
      expect({ status: o.status >= 400 && o.status < 500, code: typeof o.code, received: o.received }).toEqual({
        status: true,
        code: 'string',
        received: [],
      });
      return;
    }
    expect({ status: o.status, code: o.code }).toEqual({ status: o.status < 300 ? o.status : 'a success', code: null });
    // The line says what the table says …
    expect(o.sentence).toEqual(expectedSentence(o.expected));
    // … and it is true: exactly the rule's audience received it.
    expect([...o.received].sort()).toEqual([...o.audience].sort());
    // Its counts are those of the people who received it.
    const count = o.sentence!.count;
    if (count?.what === 'observers') expect(count.n).toBe(o.received.filter((a) => participants[a].role === 'observer').length);
    if (count?.what === 'people') expect(count.n).toBe(o.received.filter((a) => !isMediator(participants[a])).length);
    if (o.sentence!.key === 'audience.mediators') expect(o.received.every((a) => isMediator(participants[a]))).toBe(true);
    if (o.afterConvey) {
      // The named party sees it only once a mediator conveyed it — and then its whole delegation does.
      expect(o.received.some((a) => participants[a].partyId === m.partyB)).toBe(false);
      expect([...o.afterConvey.received].sort()).toEqual([...o.afterConvey.audience].sort());
      expect(o.afterConvey.received).toEqual(expect.arrayContaining(['southHead', 'southMember']));
    }
    if (o.conveyRefused) expect(o.conveyRefused).toEqual({ status: 422, code: 'SHUTTLE_NOT_CONVEYABLE' });
  });
});
