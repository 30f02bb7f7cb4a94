import { DataSource } from 'typeorm';
import type { ApiError, SessionView } from '@parley/contracts';
import { Y, sync } from '@parley/agreement/infrastructure/yjs';
import { syncMessage, readSyncMessage } from './support/drafts';
import { connectRejected, startApp, TestClient, type TestApp } from './support/harness';
import { bearer, createSession, inviteNew, register, type Person } from './support/people';

/**
 * Per-account quotas (issue 16, finding 4: one account made 300 sessions, 500 invitations, 200
 * parties, 1,000 sockets and a 16 MB draft). Each is set low here; reaching it answers
 * QUOTA_EXCEEDED with `details: { quota, limit }`, over HTTP and Socket.IO alike, and creates nothing.
 */
const LIMITS = {
  QUOTA_SESSIONS_PER_ACCOUNT: '3',
  QUOTA_PARTIES_PER_SESSION: '3',
  QUOTA_INVITATIONS_PER_SESSION: '3',
  QUOTA_SOCKETS_PER_ACCOUNT: '2',
  QUOTA_DRAFT_BYTES: '4096',
};

const exceeded = (quota: string, limit: number) => ({ code: 'QUOTA_EXCEEDED', message: expect.any(String), details: { quota, limit } });

describe('per-account quotas', () => {
  let app: TestApp;
  const clients: TestClient[] = [];
  const connect = async (p: Person) => {
    const c = await TestClient.connect(app.url, p.token);
    clients.push(c);
    return c;
  };
  const sessionsOf = async (p: Person) => (await app.http().get('/api/sessions').set(bearer(p)).expect(200)).body as SessionView[];

  beforeAll(async () => {
    app = await startApp(LIMITS);
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await app.close();
  });

  it('refuses a session past QUOTA_SESSIONS_PER_ACCOUNT, creating nothing; closing one frees its place; other accounts are not concerned', async () => {
    const lead = await register(app, 'Busy Mediator');
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await createSession(app, lead));
    const refused = await app
      .http()
      .post('/api/sessions')
      .set(bearer(lead))
      .send({ title: 'One too many', parties: ['A'] })
      .expect(403);
    expect(refused.body).toMatchObject(exceeded('sessionsPerAccount', 3));
    expect((await sessionsOf(lead)).map((s) => s.id).sort()).toEqual(made.map((s) => s.id).sort());

    await app.http().post(`/api/sessions/${made[0].id}/status`).set(bearer(lead)).send({ status: 'closed' }).expect(200);
    await app.http().post('/api/sessions').set(bearer(lead)).send({ title: 'In its place' }).expect(201);
    await app.http().post('/api/sessions').set(bearer(lead)).send({ title: 'Still too many' }).expect(403);
    await createSession(app, await register(app, 'Other Mediator'));
  });

  it('refuses parties past QUOTA_PARTIES_PER_SESSION, at creation and one by one, creating nothing', async () => {
    const lead = await register(app, 'Party Planner');
    const refused = await app
      .http()
      .post('/api/sessions')
      .set(bearer(lead))
      .send({ title: 'Four sides', parties: ['A', 'B', 'C', 'D'] })
      .expect(403);
    expect(refused.body).toMatchObject(exceeded('partiesPerSession', 3));
    expect(await sessionsOf(lead)).toEqual([]);

    const session = await createSession(app, lead, ['North', 'South']);
    await app.http().post(`/api/sessions/${session.id}/parties`).set(bearer(lead)).send({ name: 'East' }).expect(201);
    const fourth = await app.http().post(`/api/sessions/${session.id}/parties`).set(bearer(lead)).send({ name: 'West' }).expect(403);
    expect(fourth.body).toMatchObject(exceeded('partiesPerSession', 3));
    const view = (await app.http().get(`/api/sessions/${session.id}`).set(bearer(lead)).expect(200)).body as SessionView;
    expect(view.parties.map((p) => p.name)).toEqual(['North', 'South', 'East']);
    expect(view.rooms.filter((r) => r.kind === 'caucus')).toHaveLength(3);
  });

  it('refuses invitations past QUOTA_INVITATIONS_PER_SESSION over HTTP and Socket.IO, revoked ones still counted, creating nothing', async () => {
    const lead = await register(app, 'Inviting Mediator');
    const session = await createSession(app, lead);
    const invitations = `/api/sessions/${session.id}/invitations`;
    const made: string[] = [];
    for (let i = 0; i < 3; i++)
      made.push((await app.http().post(invitations).set(bearer(lead)).send({ role: 'observer' }).expect(201)).body.id);
    const overHttp = await app.http().post(invitations).set(bearer(lead)).send({ role: 'observer' }).expect(403);
    expect(overHttp.body).toMatchObject(exceeded('invitationsPerSession', 3));

    const socket = await connect(lead);
    await socket.join(session.id);
    const overSocket = await socket.ask('invitation.create', { role: 'observer' });
    expect(overSocket).toEqual({ ok: false, error: exceeded('invitationsPerSession', 3) });

    await app.http().delete(`${invitations}/${made[0]}`).set(bearer(lead)).expect(204);
    await app.http().post(invitations).set(bearer(lead)).send({ role: 'observer' }).expect(403);
    const listed = (await app.http().get(invitations).set(bearer(lead)).expect(200)).body as Array<{ id: string }>;
    expect(listed.map((i) => i.id).sort()).toEqual([...made].sort());
  });

  it('refuses a socket past QUOTA_SOCKETS_PER_ACCOUNT at the handshake, and takes one again once one closed', async () => {
    const person = await register(app, 'Many Tabs');
    const [first] = [await connect(person), await connect(person)];
    const refusal: ApiError = await connectRejected(app.url, person.token);
    expect(refusal).toEqual(exceeded('socketsPerAccount', 2));
    await connect(await register(app, 'One Tab'));

    first.close();
    // The server counts the closed socket out when it hears of the close: poll, with a deadline.
    const deadline = Date.now() + 5_000;
    let again: TestClient | null = null;
    while (!again && Date.now() < deadline) {
      again = await TestClient.connect(app.url, person.token).catch(() => null);
      if (!again) await new Promise((r) => setTimeout(r, 20));
    }
    expect(again).not.toBeNull();
    clients.push(again!);
  });

  it('refuses a live draft update that would take the stored draft past QUOTA_DRAFT_BYTES: nothing stored, nothing relayed', async () => {
    const lead = await register(app, 'Drafting Mediator');
    const session = await createSession(app, lead);
    const writer = await connect(lead);
    await writer.join(session.id);
    const watcher = await connect(await inviteNew(app, lead, session.id, 'Co Mediator', { role: 'co_mediator' }));
    await watcher.join(session.id);
    const relayed = () => watcher.events.filter((e) => e.event === 'draft.update').length;
    const key = `${session.id}:mediators`;
    const storedBytes = async () =>
      Number(
        (
          await app.app
            .get(DataSource)
            .query<Array<{ n: string }>>(`SELECT COALESCE(SUM(octet_length("update")), 0) AS n FROM draft_updates WHERE doc_key = $1`, [
              key,
            ])
        )[0].n,
      );
    const draft = { kind: 'mediators' } as const;
    const doc = new Y.Doc();
    const text = doc.getText('clause');
    const send = (update: Uint8Array) => writer.ask('draft.sync', { draft, message: syncMessage(sync.messageYjsUpdate, update) });

    text.insert(0, 'a'.repeat(3_000));
    expect(await send(Y.encodeStateAsUpdate(doc))).toMatchObject({ ok: true });
    const before = await storedBytes();
    expect(before).toBeGreaterThan(3_000);
    await watcher.waitFor('draft.update');

    const vector = Y.encodeStateVector(doc);
    text.insert(3_000, 'b'.repeat(2_000));
    expect(await send(Y.encodeStateAsUpdate(doc, vector))).toEqual({
      ok: false,
      error: { ...exceeded('draftBytes', 4096), field: 'message' },
    });
    expect(await storedBytes()).toBe(before);
    await watcher.sync();
    expect(relayed()).toBe(1);

    // A reader's full sync gets the draft as it was stored.
    const reader = new Y.Doc();
    const answer = await writer.ask<{ replies: Uint8Array[] }>('draft.sync', {
      draft,
      message: syncMessage(sync.messageYjsSyncStep1, Y.encodeStateVector(reader)),
    });
    if (!answer.ok) throw new Error(answer.error.code);
    Y.applyUpdate(reader, readSyncMessage(answer.data.replies[0]).payload);
    expect(reader.getText('clause').toString()).toBe('a'.repeat(3_000));
  });
});
