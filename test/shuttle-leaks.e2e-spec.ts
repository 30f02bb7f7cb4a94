import { randomUUID } from 'node:crypto';
import type { ShuttleMessageView } from '@parley/contracts';
import { startApp, TestClient, type TestApp } from './support/harness';
import { audienceOf, LEAK_ROLES, rosterOf, startMediation, type LeakRole, type Mediation } from './support/mediation';
import { bearer, type Person } from './support/people';

/**
 * Nothing written for the mediator only, no pre-edit wording, no held or declined message — not
 * even its existence — reaches another party or an observer: through live events, history,
 * reconnect replay, lists, the audit trail or error messages. Generated over every role.
 */
const ROLES = LEAK_ROLES;
type Role = LeakRole;
type Audience = 'mediators' | 'partyA' | 'partyB' | 'caucusARoom';

/** Each marker, and who may ever see it. */
const MARKERS: Record<string, Audience[]> = {
  MKONLY: ['mediators', 'partyA'],
  MKPREEDIT: ['mediators', 'partyA'],
  MKEDITED: ['mediators', 'partyA', 'partyB'],
  MKASMEDORIG: ['mediators', 'partyA'],
  MKASMEDSAID: ['mediators', 'partyA', 'partyB'],
  MKHELD: ['mediators', 'partyA'],
  MKDECLINED: ['mediators', 'partyA'],
  MKREASON: ['mediators', 'partyA'],
  MKVERBATIM: ['mediators', 'partyA', 'partyB'],
  // Said in North's caucus: North's interpreter, seated there, hears it — and none of North's shuttle.
  MKCHATA: ['mediators', 'partyA', 'caucusARoom'],
  MKCHATB: ['mediators', 'partyB'],
  MKCHATMED: ['mediators'],
  MKPLENARY: ['mediators', 'partyA', 'partyB', 'observer' as Audience],
};

let app: TestApp;
let m: Mediation;
let people: Record<Exclude<Role, 'anonymous'>, Person>;
const live = {} as Partial<Record<Role, TestClient>>;
/** What each role was given, by where it came from. */
const received = {} as Record<Role, Array<{ source: Source; text: string }>>;
const messageIds: Record<string, string> = {};
/** The answers to the error probes, by role and by `<how> <message key>`; key 'none' is an id that exists nowhere. */
const probes = {} as Record<Role, Record<string, unknown>>;
const NO_SUCH_MESSAGE = randomUUID();

/** Every place a role's material comes from; each test checks that its role has them all. */
const SOURCES = [
  'live events',
  'history',
  'replay',
  'shuttle list',
  'audit trail',
  'decision refused',
  'withdrawal refused',
  'reconnect',
] as const;
type Source = (typeof SOURCES)[number];
const isMediatorRole = (role: Role) => role === 'leadMediator' || role === 'coMediator';
const sourcesOf = (role: Role): Source[] =>
  SOURCES.filter(
    (s) => !(role === 'anonymous' && (s === 'live events' || s === 'reconnect')) && !(isMediatorRole(role) && s === 'decision refused'),
  );

const roomIds = () => [m.plenary, m.caucusA, m.caucusB, m.mediatorRoom];

/** Everything live events, history, replay, lists, the audit trail and errors give one role. */
async function gather(role: Role): Promise<void> {
  const who = role === 'anonymous' ? null : people[role];
  const withAuth = <T extends { set: (h: Record<string, string>) => T }>(req: T): T => (who ? req.set(bearer(who)) : req);
  const keep = (source: Source, x: unknown) => received[role].push({ source, text: JSON.stringify(x) ?? '' });

  if (live[role]) keep('live events', live[role].events);
  for (const roomId of roomIds()) {
    keep('history', (await withAuth(app.http().get(`/api/sessions/${m.session.id}/rooms/${roomId}/events?limit=200`))).body);
    keep('replay', (await withAuth(app.http().get(`/api/sessions/${m.session.id}/rooms/${roomId}/events?afterSeq=0&limit=200`))).body);
  }
  keep('shuttle list', (await withAuth(app.http().get(`/api/sessions/${m.session.id}/shuttle`))).body);
  keep('audit trail', (await withAuth(app.http().get(`/api/sessions/${m.session.id}/audit`))).body);
  // Error probes, on every message and on one that does not exist. Withdrawing changes nothing
  // here (no message is cooling); deciding would, so only those who may not decide try it.
  const mediator = isMediatorRole(role);
  const probe = (source: Source, how: string, key: string, res: { status: number; body: unknown }) => {
    keep(source, res.body);
    probes[role][`${how} ${key}`] = { status: res.status, body: res.body };
  };
  for (const [key, id] of [...Object.entries(messageIds), ['none', NO_SUCH_MESSAGE]]) {
    if (!mediator)
      probe(
        'decision refused',
        'HTTP decision',
        key,
        await withAuth(app.http().post(`/api/sessions/${m.session.id}/shuttle/${id}/decide`)).send({
          decision: 'convey',
          mode: 'verbatim',
        }),
      );
    probe(
      'withdrawal refused',
      'HTTP withdrawal',
      key,
      await withAuth(app.http().post(`/api/sessions/${m.session.id}/shuttle/${id}/withdraw`)).send({}),
    );
  }
  // A reconnecting client: new socket, same token, replay of every room from the start.
  if (who) {
    const again = await TestClient.connect(app.url, who.token);
    try {
      keep('reconnect', await again.ask('session.join', { sessionId: m.session.id }));
      for (const roomId of roomIds()) keep('reconnect', await again.ask('room.history', { roomId, afterSeq: 0, limit: 200 }));
      keep('reconnect', await again.ask('shuttle.list', {}));
      for (const [key, id] of [...Object.entries(messageIds), ['none', NO_SUCH_MESSAGE]]) {
        const ack = await again.ask(mediator ? 'shuttle.withdraw' : 'shuttle.decide', {
          messageId: id,
          ...(mediator ? {} : { decision: 'hold' }),
        });
        keep('reconnect', ack);
        probes[role][`socket ${mediator ? 'withdrawal' : 'decision'} ${key}`] = ack;
      }
    } finally {
      again.close();
    }
  }
}

beforeAll(async () => {
  app = await startApp();
  m = await startMediation(app, { interpreters: true });
  people = await rosterOf(app, m);
  for (const role of ROLES) {
    received[role] = [];
    probes[role] = {};
  }
  for (const [role, p] of Object.entries(people) as Array<[Role, Person]>) {
    live[role] = m.clients.get(p) ?? (await TestClient.connect(app.url, p.token));
    const joined = await live[role].ask('session.join', { sessionId: m.session.id });
    received[role].push({ source: 'live events', text: JSON.stringify(joined) });
  }
  // The co-mediator sits in caucus A, so mediators also see a caucus live.
  await m.place(people.coMediator, m.caucusA);

  // The workflow, with a marker in every wording.
  const say = (p: Person, roomId: string, text: string) =>
    m.post(p, `/rooms/${roomId}/messages`, { text, clientMessageId: randomUUID() }).expect(201);
  const send = async (key: string, text: string, label: 'conveyable' | 'mediator_only' = 'conveyable') => {
    const res = await m
      .post(m.a1, '/shuttle', {
        text,
        label,
        ...(label === 'conveyable' ? { conveyToPartyId: m.partyB } : {}),
        clientMessageId: randomUUID(),
      })
      .expect(201);
    messageIds[key] = (res.body as ShuttleMessageView).id;
    return messageIds[key];
  };
  const decide = (id: string, body: object) => m.post(m.mediator, `/shuttle/${id}/decide`, body).expect(200);

  await say(m.a1, m.caucusA, 'In caucus: MKCHATA');
  await say(m.b1, m.caucusB, 'In caucus: MKCHATB');
  await say(m.mediator, m.mediatorRoom, 'Team note: MKCHATMED');
  await say(m.mediator, m.plenary, 'Welcome all: MKPLENARY');
  await send('only', 'Our principal is ill MKONLY', 'mediator_only');
  await decide(await send('edited', 'This insulting offer MKPREEDIT is rejected'), {
    decision: 'convey',
    mode: 'edited',
    text: 'This offer MKEDITED needs more work',
  });
  await decide(await send('asMediator', 'Trade the quarry MKASMEDORIG'), {
    decision: 'convey',
    mode: 'as_mediator',
    text: 'Could resources MKASMEDSAID be pooled?',
  });
  await decide(await send('held', 'Hold this MKHELD'), { decision: 'hold' });
  const declined = await send('declined', 'We walk out MKDECLINED');
  await decide(declined, { decision: 'hold' });
  await decide(declined, { decision: 'decline', reason: 'Not now MKREASON' });
  await decide(await send('verbatim', 'We accept monitors MKVERBATIM'), { decision: 'convey', mode: 'verbatim' });

  for (const c of Object.values(live)) await c.sync();
  // Gathered here, not in a test: a run filtered with -t still probes every role, and the last
  // test below still follows the probing.
  for (const role of ROLES) await gather(role);
}, 120_000);

afterAll(async () => {
  await app.close();
  Object.values(live).forEach((c) => c?.close());
});

describe.each(ROLES)('%s', (role) => {
  /** What the role was given, once it is checked that every source gave something. */
  const everything = () => {
    const gathered = received[role];
    expect([...new Set(gathered.map((g) => g.source))]).toEqual(sourcesOf(role));
    // Every answer is one: an empty list is (party B has no shuttle messages), no body at all is not.
    expect(gathered.filter((g) => g.text === '' || g.text === '{}')).toEqual([]);
    expect(Object.keys(messageIds)).toHaveLength(6);
    return gathered.map((g) => g.text).join('\n');
  };

  it.each(Object.keys(MARKERS))('sees %s only if entitled', (marker) => {
    const seen = everything().includes(marker);
    const entitled = MARKERS[marker].some((a) => audienceOf(role).includes(a));
    expect({ marker, seen }).toEqual({ marker, seen: entitled });
  });

  it("never learns that another party's unconveyed messages exist", () => {
    const all = everything();
    const mayKnow = audienceOf(role).some((a) => a === 'mediators' || a === 'partyA');
    for (const [key, id] of Object.entries(messageIds)) {
      expect({ key, known: all.includes(id) }).toEqual({ key, known: mayKnow });
    }
    if (mayKnow) return;
    // Not even from a refusal: each is the answer about a message that does not exist.
    const answers = Object.entries(probes[role]);
    expect(answers.length).toBeGreaterThanOrEqual(7);
    for (const [probe, answer] of answers) {
      const how = probe.slice(0, probe.lastIndexOf(' '));
      expect({ probe, answer }).toEqual({ probe, answer: probes[role][`${how} none`] });
    }
  });
});

describe('after all the probing', () => {
  it('nothing changed: every message is in the state the workflow left it', async () => {
    const all = (await m.get(m.mediator, '/shuttle').expect(200)).body as ShuttleMessageView[];
    const status = Object.fromEntries(Object.entries(messageIds).map(([k, id]) => [k, all.find((v) => v.id === id)?.status]));
    expect(status).toEqual({
      only: 'pending',
      edited: 'conveyed',
      asMediator: 'conveyed',
      held: 'held',
      declined: 'declined',
      verbatim: 'conveyed',
    });
  });
});
