import type { InvitationAccepted, SessionView, TokenPair } from '@parley/contracts';
import type { TestApp } from './harness';

let n = 0;

export interface Person {
  name: string;
  email: string;
  password: string;
  token: string;
  userId: string;
  /** Set once they take part in the session under test. */
  participantId?: string;
}

export const bearer = (p: { token: string }) => ({ Authorization: `Bearer ${p.token}` });

export async function register(app: TestApp, name: string): Promise<Person> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${++n}.${process.pid}@parley.test`;
  const password = 'correct horse battery staple';
  const res = await app.http().post('/api/auth/register').send({ email, password, displayName: name }).expect(201);
  const pair = res.body as TokenPair;
  return { name, email, password, token: pair.accessToken, userId: pair.user.id };
}

export async function createSession(
  app: TestApp,
  mediator: Person,
  parties = ['Party A', 'Party B'],
  languages?: string[],
): Promise<SessionView> {
  const res = await app
    .http()
    .post('/api/sessions')
    .set(bearer(mediator))
    .send({ title: 'Harbour concession talks', parties, ...(languages ? { languages } : {}) })
    .expect(201);
  const view = res.body as SessionView;
  mediator.participantId = view.me.id;
  return view;
}

/**
 * What an invitation carries: an interpreter's names two declared languages and, optionally, the
 * party that brought them (no partyId: the mediators' own interpreter).
 */
export type InviteSpec =
  | { role: 'co_mediator' | 'party_member' | 'observer'; partyId?: string; isHead?: boolean; email?: string }
  | { role: 'interpreter'; languages: [string, string]; partyId?: string; email?: string };

/** An invitation's link token (an observer's unless told otherwise), made by the mediator. */
export async function createInvitation(
  app: TestApp,
  mediator: Person,
  sessionId: string,
  invite: InviteSpec = { role: 'observer' },
): Promise<string> {
  const inv = await app.http().post(`/api/sessions/${sessionId}/invitations`).set(bearer(mediator)).send(invite).expect(201);
  return inv.body.token as string;
}

/** Invites and accepts (as a new account, with credentials). */
export async function inviteNew(app: TestApp, mediator: Person, sessionId: string, name: string, invite: InviteSpec): Promise<Person> {
  const token = await createInvitation(app, mediator, sessionId, invite);
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${++n}.${process.pid}@parley.test`;
  const password = 'correct horse battery staple';
  const res = await app.http().post(`/api/invitations/${token}/accept`).send({ email, password, displayName: name }).expect(201);
  const accepted = res.body as InvitationAccepted;
  return { name, email, password, token: accepted.accessToken, userId: accepted.user.id, participantId: accepted.participant.id };
}

/**
 * An interpreter invited and accepted: brought by the party `partyId`, or the mediators' own when
 * it is omitted. The session must declare both languages.
 */
export const inviteInterpreter = (
  app: TestApp,
  mediator: Person,
  sessionId: string,
  name: string,
  languages: [string, string],
  partyId?: string,
): Promise<Person> => inviteNew(app, mediator, sessionId, name, { role: 'interpreter', languages, ...(partyId ? { partyId } : {}) });

export const roomOf = (view: SessionView, kind: string, partyId?: string) => {
  const room = view.rooms.find((r) => r.kind === kind && (partyId === undefined || r.partyId === partyId));
  if (!room) throw new Error(`no ${kind} room`);
  return room;
};
