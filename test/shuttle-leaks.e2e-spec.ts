import { randomUUID } from 'node:crypto';
import type { ShuttleMessageView } from '@parley/contracts';
import { startApp, TestClient, type TestApp } from './support/harness';
import { LEAK_ROLES, rosterOf, startMediation, type LeakRole, type Mediation } from './support/mediation';
import { bearer, type Person } from './support/people';

/**
 * Nothing written for the mediator only, no pre-edit wording, no held or declined message — not
 * even its existence — reaches another party or an observer: through live events, history,
 * reconnect replay, lists, the audit trail or error messages. Generated over every role.
 */
const ROLES = LEAK_ROLES;
type Role = LeakRole;
type Audience = 'mediators' | 'partyA' | 'partyB';

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
  MKCHATA: ['mediators', 'partyA'],
  MKCHATB: ['mediators', 'partyB'],
  MKCHATMED: ['mediators'],
  MKPLENARY: ['mediators', 'partyA', 'partyB', 'observer' as Audience],
};
const audienceOf = (role: Role): Array<Audience | 'observer'> =>
  role === 'leadMediator' || role === 'coMediator' ? ['mediators']
    : role === 'partyAHead' || role === 'partyAMember' ? ['partyA']
      : role === 'partyBHead' || role === 'partyBMember' ? ['partyB']
        : role === 'observer' ? ['observer'] : [];

let app: TestApp;
let m: Mediation;
let people: Record<Exclude<Role, 'anonymous'>, Person>;
const live = {} as Partial<Record<Role, TestClient>>;
const received = {} as Record<Role, string[]>;
const messageIds: Record<string, string> = {};

beforeAll(async () => {
  app = await startApp();
  m = await startMediation(app);
  people = await rosterOf(app, m);
  for (const role of ROLES) received[role] = [];
  for (const [role, p] of Object.entries(people) as Array<[Role, Person]>) {
    live[role] = m.clients.get(p) ?? (await TestClient.connect(app.url, p.token));
    const joined = await live[role]!.ask('session.join', { sessionId: m.session.id });
    received[role].push(JSON.stringify(joined));
  }
  // The co-mediator sits in caucus A, so mediators also see a caucus live.
  await m.place(people.coMediator, m.caucusA);

  // The workflow, with a marker in every wording.
  const say = (p: Person, roomId: string, text: string) => m.post(p, `/rooms/${roomId}/messages`, { text, clientMessageId: randomUUID() }).expect(201);
  const send = async (key: string, text: string, label: 'conveyable' | 'mediator_only' = 'conveyable') => {
    const res = await m.post(m.a1, '/shuttle', { text, label, ...(label === 'conveyable' ? { conveyToPartyId: m.partyB } : {}), clientMessageId: randomUUID() }).expect(201);
    messageIds[key] = (res.body as ShuttleMessageView).id;
    return messageIds[key];
  };
  const decide = (id: string, body: object) => m.post(m.mediator, `/shuttle/${id}/decision`, body).expect(200);

  await say(m.a1, m.caucusA, 'In caucus: MKCHATA');
  await say(m.b1, m.caucusB, 'In caucus: MKCHATB');
  await say(m.mediator, m.mediatorRoom, 'Team note: MKCHATMED');
  await say(m.mediator, m.plenary, 'Welcome all: MKPLENARY');
  await send('only', 'Our principal is ill MKONLY', 'mediator_only');
  await decide(await send('edited', 'This insulting offer MKPREEDIT is rejected'), { decision: 'convey', mode: 'edited', text: 'This offer MKEDITED needs more work' });
  await decide(await send('asMediator', 'Trade the quarry MKASMEDORIG'), { decision: 'convey', mode: 'as_mediator', text: 'Could resources MKASMEDSAID be pooled?' });
  await decide(await send('held', 'Hold this MKHELD'), { decision: 'hold' });
  const declined = await send('declined', 'We walk out MKDECLINED');
  await decide(declined, { decision: 'hold' });
  await decide(declined, { decision: 'decline', reason: 'Not now MKREASON' });
  await decide(await send('verbatim', 'We accept monitors MKVERBATIM'), { decision: 'convey', mode: 'verbatim' });

  for (const c of Object.values(live)) await c!.sync();
});

afterAll(async () => {
  await app.close();
  Object.values(live).forEach((c) => c?.close());
});

const roomIds = () => [m.plenary, m.caucusA, m.caucusB, m.mediatorRoom];

describe.each(ROLES)('%s', (role) => {
  // Read when the tests run: the people exist only after beforeAll.
  const who = () => (role === 'anonymous' ? null : people[role]);
  const withAuth = <T extends { set: (h: Record<string, string>) => T }>(req: T): T => (who() ? req.set(bearer(who()!)) : req);
  const keep = (x: unknown) => received[role].push(JSON.stringify(x));

  it('gathers what live events, history, replay, lists, the audit trail and errors give', async () => {
    if (live[role]) keep(live[role]!.events);
    for (const roomId of roomIds()) {
      keep((await withAuth(app.http().get(`/api/sessions/${m.session.id}/rooms/${roomId}/events?limit=200`))).body);
      keep((await withAuth(app.http().get(`/api/sessions/${m.session.id}/rooms/${roomId}/events?afterSeq=0&limit=200`))).body);
    }
    keep((await withAuth(app.http().get(`/api/sessions/${m.session.id}/shuttle`))).body);
    keep((await withAuth(app.http().get(`/api/sessions/${m.session.id}/audit`))).body);
    // Error probes. Withdrawing changes nothing here (no message is cooling); deciding would, so
    // only those who may not decide try it.
    const mediator = role === 'leadMediator' || role === 'coMediator';
    for (const id of Object.values(messageIds)) {
      if (!mediator) keep((await withAuth(app.http().post(`/api/sessions/${m.session.id}/shuttle/${id}/decision`)).send({ decision: 'convey', mode: 'verbatim' })).body);
      keep((await withAuth(app.http().post(`/api/sessions/${m.session.id}/shuttle/${id}/withdraw`)).send({})).body);
    }
    // A reconnecting client: new socket, same token, replay of every room from the start.
    const person = who();
    if (person) {
      const again = await TestClient.connect(app.url, person.token);
      keep(await again.ask('session.join', { sessionId: m.session.id }));
      for (const roomId of roomIds()) keep(await again.ask('room.history', { roomId, afterSeq: 0, limit: 200 }));
      keep(await again.ask('shuttle.list', {}));
      for (const id of Object.values(messageIds)) {
        keep(await again.ask(mediator ? 'shuttle.withdraw' : 'shuttle.decide', { messageId: id, ...(mediator ? {} : { decision: 'hold' }) }));
      }
      again.close();
    }
  });

  it.each(Object.keys(MARKERS))('sees %s only if entitled', (marker) => {
    const everything = received[role].join('\n');
    const entitled = MARKERS[marker].some((a) => audienceOf(role).includes(a));
    expect({ marker, seen: everything.includes(marker) }).toEqual({ marker, seen: entitled });
  });

  it('never learns that another party\'s unconveyed messages exist', () => {
    const everything = received[role].join('\n');
    const mayKnow = audienceOf(role).some((a) => a === 'mediators' || a === 'partyA');
    for (const [key, id] of Object.entries(messageIds)) {
      expect({ key, known: everything.includes(id) }).toEqual({ key, known: mayKnow });
    }
  });
});

describe('after all the probing', () => {
  it('nothing changed: every message is in the state the workflow left it', async () => {
    const all = (await m.get(m.mediator, '/shuttle').expect(200)).body as ShuttleMessageView[];
    const status = Object.fromEntries(Object.entries(messageIds).map(([k, id]) => [k, all.find((v) => v.id === id)?.status]));
    expect(status).toEqual({ only: 'pending', edited: 'conveyed', asMediator: 'conveyed', held: 'held', declined: 'declined', verbatim: 'conveyed' });
  });
});
