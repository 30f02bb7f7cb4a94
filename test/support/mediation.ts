import type { SessionView } from '@parley/contracts';
import type { Clock } from '@parley/platform';
import { startApp, TestClient, type TestApp } from './harness';
import { bearer, createSession, inviteInterpreter, inviteNew, register, roomOf, type Person } from './people';

/**
 * A running mediation: a lead mediator, two delegations of two (heads first), an observer, all
 * connected, the session open, each delegation in its caucus, the observer in the plenary and
 * the mediator in the mediator room. With `interpreters`, the session declares ar, en and fr, and
 * two interpreters (ar↔en) join, connected: North's own (`ia`, brought by party A) seated in North's
 * caucus, and the mediators' (`im`, no party) seated in the plenary.
 */
export interface Mediation {
  session: SessionView;
  mediator: Person;
  a1: Person;
  a2: Person;
  b1: Person;
  b2: Person;
  observer: Person;
  /** With `interpreters`: the interpreter North brought, in North's caucus. */
  ia?: Person;
  /** With `interpreters`: the mediators' interpreter, in the plenary. */
  im?: Person;
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

/** The languages a mediation with interpreters declares, and the interpreters' pair. */
export const MEDIATION_LANGUAGES = ['ar', 'en', 'fr'];
export const INTERPRETER_PAIR: [string, string] = ['ar', 'en'];

export async function startMediation(app: TestApp, options: { interpreters?: boolean } = {}): Promise<Mediation> {
  const mediator = await register(app, 'Mediator Maria');
  const session = await createSession(app, mediator, ['North', 'South'], options.interpreters ? MEDIATION_LANGUAGES : undefined);
  const [north, south] = session.parties;
  const a1 = await inviteNew(app, mediator, session.id, 'Ana North', { role: 'party_member', partyId: north.id, isHead: true });
  const a2 = await inviteNew(app, mediator, session.id, 'Ali North', { role: 'party_member', partyId: north.id });
  const b1 = await inviteNew(app, mediator, session.id, 'Bea South', { role: 'party_member', partyId: south.id, isHead: true });
  const b2 = await inviteNew(app, mediator, session.id, 'Bo South', { role: 'party_member', partyId: south.id });
  const observer = await inviteNew(app, mediator, session.id, 'Olu Observer', { role: 'observer' });
  const ia = options.interpreters
    ? await inviteInterpreter(app, mediator, session.id, 'Ines North Interpreter', INTERPRETER_PAIR, north.id)
    : undefined;
  const im = options.interpreters
    ? await inviteInterpreter(app, mediator, session.id, 'Idris Mediators Interpreter', INTERPRETER_PAIR)
    : undefined;
  const post = (who: Person, path: string, body: object = {}) =>
    app.http().post(`/api/sessions/${session.id}${path}`).set(bearer(who)).send(body);
  const get = (who: Person, path: string) => app.http().get(`/api/sessions/${session.id}${path}`).set(bearer(who));
  await post(mediator, '/status', { status: 'open' }).expect(200);

  const clients = new Map<Person, TestClient>();
  for (const p of [mediator, a1, a2, b1, b2, observer, ...(ia && im ? [ia, im] : [])]) {
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
    ...(ia && im ? { ia, im } : {}),
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
  if (ia && im) {
    await m.place(ia, m.caucusA);
    await m.place(im, m.plenary);
  }
  await m.place(mediator, m.mediatorRoom);
  for (const c of clients.values()) c.clear();
  return m;
}

/** A fresh app and running mediation for a describe block, closed after it (on `clock`, if given). */
export function useMediation(
  env: Record<string, string> = {},
  options: { clock?: Clock; interpreters?: boolean } = {},
): { app: () => TestApp; m: () => Mediation } {
  let app: TestApp;
  let m: Mediation;
  beforeAll(async () => {
    app = await startApp(env, undefined, options);
    m = await startMediation(app, { interpreters: options.interpreters ?? false });
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
  // North's own interpreter, seated in North's caucus; the mediators' interpreter, in the plenary.
  'partyAInterpreter',
  'mediatorsInterpreter',
  'nonParticipant',
  'anonymous',
] as const;
export type LeakRole = (typeof LEAK_ROLES)[number];

/**
 * Whose material a role may see: the mediators', one party's, the observers' (the plenary), the
 * room of North's caucus as such (its chat and presence: what the interpreter North brought hears
 * there, never North's shuttle, drafts or proposals), or nobody's.
 */
export type LeakAudience = 'mediators' | 'partyA' | 'partyB' | 'observer' | 'caucusARoom';
export const audienceOf = (role: LeakRole): LeakAudience[] =>
  role === 'leadMediator' || role === 'coMediator'
    ? ['mediators']
    : role === 'partyAHead' || role === 'partyAMember'
      ? ['partyA', 'caucusARoom']
      : role === 'partyBHead' || role === 'partyBMember'
        ? ['partyB']
        : role === 'observer' || role === 'mediatorsInterpreter'
          ? ['observer']
          : role === 'partyAInterpreter'
            ? ['observer', 'caucusARoom']
            : [];

/**
 * One person per role of LEAK_ROLES (anonymous has none): the mediation's, a co-mediator and an
 * outsider. The mediation must have been started with its interpreters.
 */
export async function rosterOf(app: TestApp, m: Mediation): Promise<Record<Exclude<LeakRole, 'anonymous'>, Person>> {
  if (!m.ia || !m.im) throw new Error('rosterOf: start the mediation with { interpreters: true }');
  return {
    leadMediator: m.mediator,
    coMediator: await inviteNew(app, m.mediator, m.session.id, 'Co Mediator', { role: 'co_mediator' }),
    partyAHead: m.a1,
    partyAMember: m.a2,
    partyBHead: m.b1,
    partyBMember: m.b2,
    observer: m.observer,
    partyAInterpreter: m.ia,
    mediatorsInterpreter: m.im,
    nonParticipant: await register(app, 'Outsider'),
  };
}
