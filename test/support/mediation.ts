import type { SessionView } from '@parley/contracts';
import type { Clock } from '@parley/platform';
import { startApp, TestClient, type TestApp } from './harness';
import { bearer, createSession, inviteNew, register, roomOf, type Person } from './people';

/**
 * A running mediation: a lead mediator, two delegations of two (heads first), an observer, all
 * connected, the session open, each delegation in its caucus, the observer in the plenary and
 * the mediator in the mediator room.
 */
export interface Mediation {
  session: SessionView;
  mediator: Person;
  a1: Person;
  a2: Person;
  b1: Person;
  b2: Person;
  observer: Person;
  clients: Map<Person, TestClient>;
  partyA: string;
  partyB: string;
  caucusA: string;
  caucusB: string;
  plenary: string;
  mediatorRoom: string;
  client: (p: Person) => TestClient;
  post(who: Person, path: string, body?: object): ReturnType<ReturnType<TestApp['http']>['post']>;
  get(who: Person, path: string): ReturnType<ReturnType<TestApp['http']>['get']>;
  place(who: Person, roomId: string): Promise<void>;
  close(): void;
}

export async function startMediation(app: TestApp): Promise<Mediation> {
  const mediator = await register(app, 'Mediator Maria');
  const session = await createSession(app, mediator, ['North', 'South']);
  const [north, south] = session.parties;
  const a1 = await inviteNew(app, mediator, session.id, 'Ana North', { role: 'party_member', partyId: north.id, isHead: true });
  const a2 = await inviteNew(app, mediator, session.id, 'Ali North', { role: 'party_member', partyId: north.id });
  const b1 = await inviteNew(app, mediator, session.id, 'Bea South', { role: 'party_member', partyId: south.id, isHead: true });
  const b2 = await inviteNew(app, mediator, session.id, 'Bo South', { role: 'party_member', partyId: south.id });
  const observer = await inviteNew(app, mediator, session.id, 'Olu Observer', { role: 'observer' });
  const post = (who: Person, path: string, body: object = {}) =>
    app.http().post(`/api/sessions/${session.id}${path}`).set(bearer(who)).send(body);
  const get = (who: Person, path: string) => app.http().get(`/api/sessions/${session.id}${path}`).set(bearer(who));
  await post(mediator, '/status', { status: 'open' }).expect(200);

  const clients = new Map<Person, TestClient>();
  for (const p of [mediator, a1, a2, b1, b2, observer]) {
    const c = await TestClient.connect(app.url, p.token);
    await c.join(session.id);
    clients.set(p, c);
  }
  const m: Mediation = {
    session,
    mediator,
    a1,
    a2,
    b1,
    b2,
    observer,
    clients,
    partyA: north.id,
    partyB: south.id,
    caucusA: north.caucusRoomId!,
    caucusB: south.caucusRoomId!,
    plenary: roomOf(session, 'plenary').id,
    mediatorRoom: roomOf(session, 'mediator').id,
    client: (p) => clients.get(p)!,
    post,
    get,
    place: async (who, roomId) => {
      await post(mediator, `/participants/${who.participantId}/move`, { roomId }).expect(200);
    },
    close: () => clients.forEach((c) => c.close()),
  };
  for (const p of [a1, a2]) await m.place(p, m.caucusA);
  for (const p of [b1, b2]) await m.place(p, m.caucusB);
  await m.place(observer, m.plenary);
  await m.place(mediator, m.mediatorRoom);
  for (const c of clients.values()) c.clear();
  return m;
}

/** A fresh app and running mediation for a describe block, closed after it (on `clock`, if given). */
export function useMediation(
  env: Record<string, string> = {},
  options: { clock?: Clock } = {},
): { app: () => TestApp; m: () => Mediation } {
  let app: TestApp;
  let m: Mediation;
  beforeAll(async () => {
    app = await startApp(env, undefined, options);
    m = await startMediation(app);
  });
  afterAll(async () => {
    await app.close();
    m.close();
  });
  return { app: () => app, m: () => m };
}

/** Every role a leak suite checks, the last two being outside the session. */
export const LEAK_ROLES = [
  'leadMediator',
  'coMediator',
  'partyAHead',
  'partyAMember',
  'partyBHead',
  'partyBMember',
  'observer',
  'nonParticipant',
  'anonymous',
] as const;
export type LeakRole = (typeof LEAK_ROLES)[number];

/** Whose material a role may see: the mediators', one party's, the observers' (the plenary), or nobody's. */
export type LeakAudience = 'mediators' | 'partyA' | 'partyB' | 'observer';
export const audienceOf = (role: LeakRole): LeakAudience[] =>
  role === 'leadMediator' || role === 'coMediator'
    ? ['mediators']
    : role === 'partyAHead' || role === 'partyAMember'
      ? ['partyA']
      : role === 'partyBHead' || role === 'partyBMember'
        ? ['partyB']
        : role === 'observer'
          ? ['observer']
          : [];

/** One person per role of LEAK_ROLES (anonymous has none): the mediation's, a co-mediator and an outsider. */
export async function rosterOf(app: TestApp, m: Mediation): Promise<Record<Exclude<LeakRole, 'anonymous'>, Person>> {
  return {
    leadMediator: m.mediator,
    coMediator: await inviteNew(app, m.mediator, m.session.id, 'Co Mediator', { role: 'co_mediator' }),
    partyAHead: m.a1,
    partyAMember: m.a2,
    partyBHead: m.b1,
    partyBMember: m.b2,
    observer: m.observer,
    nonParticipant: await register(app, 'Outsider'),
  };
}
