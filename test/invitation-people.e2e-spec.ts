import type { InvitationCreated, InvitationView, SessionView } from '@parley/contracts';
import { publicUrlWarning, linksReachOnlyThisMachine } from '../libs/sessions/src/application/public-url';
import { startApp, type TestApp } from './support/harness';
import { bearer, createSession, inviteNew, register, type Person } from './support/people';

/**
 * Invitations as people: each names its person; the mediators list them all with where they stand
 * (across reloads: the list is the server's), revoke and re-issue them.
 */
describe('invitations as people', () => {
  let app: TestApp;
  let lead: Person;
  let session: SessionView;
  const invite = (body: object, who: Person = lead) =>
    app.http().post(`/api/sessions/${session.id}/invitations`).set(bearer(who)).send(body);
  const list = async (who: Person = lead) =>
    (await app.http().get(`/api/sessions/${session.id}/invitations`).set(bearer(who)).expect(200)).body as InvitationView[];
  const accept = (token: string, name: string) =>
    app
      .http()
      .post(`/api/invitations/${token}/accept`)
      .send({
        email: `${name.toLowerCase().replace(/\W+/g, '.')}.${process.pid}@parley.test`,
        password: 'correct horse battery staple',
        displayName: name,
      });

  beforeAll(async () => {
    app = await startApp();
    lead = await register(app, 'Lead');
    session = await createSession(app, lead, ['North', 'South']);
  });
  afterAll(() => app.close());

  it('names its person, and the list says where each invitation stands', async () => {
    const north = session.parties[0].id;
    const amina = (await invite({ role: 'party_member', partyId: north, isHead: true, displayName: '  Amina Haddad ' }).expect(201))
      .body as InvitationCreated;
    expect(amina).toMatchObject({ displayName: 'Amina Haddad', isHead: true, localOnly: false });
    const jon = (await invite({ role: 'party_member', partyId: north, displayName: 'Jon Berg' }).expect(201)).body as InvitationCreated;
    const obs = (await invite({ role: 'observer', displayName: 'Lena Obs' }).expect(201)).body as InvitationCreated;

    await accept(jon.token, 'Jonathan Berg').expect(201);
    await app.http().delete(`/api/sessions/${session.id}/invitations/${obs.id}`).set(bearer(lead)).expect(204);

    const rows = await list();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(amina.id)).toMatchObject({ displayName: 'Amina Haddad', state: 'pending', isHead: true, acceptedBy: null });
    // Accepted by whom: the participant as the session knows them (their account's name).
    const participants = (await app.http().get(`/api/sessions/${session.id}/participants`).set(bearer(lead)).expect(200)).body;
    const jonathan = participants.find((p: any) => p.displayName === 'Jonathan Berg');
    expect(byId.get(jon.id)).toMatchObject({ state: 'accepted', acceptedBy: { participantId: jonathan.id, displayName: 'Jonathan Berg' } });
    expect(byId.get(obs.id)).toMatchObject({ displayName: 'Lena Obs', state: 'revoked' });
    expect(byId.get(obs.id)!.revokedAt).not.toBeNull();
    // Oldest first, and no token ever listed.
    expect(rows.map((r) => r.id).slice(-3)).toEqual([amina.id, jon.id, obs.id]);
    expect(JSON.stringify(rows)).not.toContain(amina.token);
  });

  it('refuses a revoked link when it is opened, with INVITATION_REVOKED', async () => {
    const inv = (await invite({ role: 'observer', displayName: 'To Revoke' }).expect(201)).body as InvitationCreated;
    await app.http().get(`/api/invitations/${inv.token}`).expect(200);
    await app.http().delete(`/api/sessions/${session.id}/invitations/${inv.id}`).set(bearer(lead)).expect(204);
    const preview = await app.http().get(`/api/invitations/${inv.token}`).expect(410);
    expect(preview.body).toMatchObject({ code: 'INVITATION_REVOKED', field: 'token' });
    const res = await accept(inv.token, 'Too Late').expect(410);
    expect(res.body.code).toBe('INVITATION_REVOKED');
    // Revoking again changes nothing.
    await app.http().delete(`/api/sessions/${session.id}/invitations/${inv.id}`).set(bearer(lead)).expect(204);
  });

  it('revoking an accepted invitation leaves its participant in the session', async () => {
    const inv = (await invite({ role: 'observer', displayName: 'Stays' }).expect(201)).body as InvitationCreated;
    const joined = (await accept(inv.token, 'Stays In')).body;
    await app.http().delete(`/api/sessions/${session.id}/invitations/${inv.id}`).set(bearer(lead)).expect(204);
    const row = (await list()).find((r) => r.id === inv.id)!;
    expect(row).toMatchObject({ state: 'revoked', acceptedBy: { participantId: joined.participant.id } });
    const participants = (await app.http().get(`/api/sessions/${session.id}/participants`).set(bearer(lead)).expect(200)).body;
    expect(participants.map((p: any) => p.id)).toContain(joined.participant.id);
    // The participant still reads the session.
    await app
      .http()
      .get(`/api/sessions/${session.id}`)
      .set(bearer({ token: joined.accessToken }))
      .expect(200);
    const audit = (await app.http().get(`/api/sessions/${session.id}/audit`).set(bearer(lead)).expect(200)).body.entries;
    expect(audit.at(-1)).toMatchObject({ type: 'invitation.revoked', payload: { invitationId: inv.id, accepted: true } });
  });

  it('re-issues a new link for the same person and revokes the old one', async () => {
    const south = session.parties[1].id;
    const old = (await invite({ role: 'party_member', partyId: south, displayName: 'Sara Lind' }).expect(201)).body as InvitationCreated;
    const res = await app.http().post(`/api/sessions/${session.id}/invitations/${old.id}/reissue`).set(bearer(lead)).expect(201);
    const fresh = res.body as InvitationCreated;
    expect(fresh).toMatchObject({ displayName: 'Sara Lind', role: 'party_member', partyId: south, isHead: false });
    expect(fresh.id).not.toBe(old.id);
    expect(fresh.token).not.toBe(old.token);
    expect((await app.http().get(`/api/invitations/${old.token}`).expect(410)).body.code).toBe('INVITATION_REVOKED');
    await app.http().get(`/api/invitations/${fresh.token}`).expect(200);
    const rows = await list();
    expect(rows.find((r) => r.id === old.id)!.state).toBe('revoked');
    expect(rows.find((r) => r.id === fresh.id)).toMatchObject({ state: 'pending', displayName: 'Sara Lind' });
    const audit = (await app.http().get(`/api/sessions/${session.id}/audit`).set(bearer(lead)).expect(200)).body;
    expect(audit.entries.slice(-2).map((e: any) => e.type)).toEqual(['invitation.revoked', 'invitation.created']);
    expect(audit.entries.at(-1).payload).toMatchObject({ invitationId: fresh.id, reissueOf: old.id, displayName: 'Sara Lind' });
    expect(audit.verification.valid).toBe(true);

    // An accepted invitation is not re-issued: its person is in.
    await accept(fresh.token, 'Sara Lind').expect(201);
    const again = await app.http().post(`/api/sessions/${session.id}/invitations/${fresh.id}/reissue`).set(bearer(lead)).expect(409);
    expect(again.body).toMatchObject({ code: 'INVITATION_USED', field: 'invitationId' });
  });

  it('lets only mediators list, revoke and re-issue', async () => {
    const inv = (await invite({ role: 'observer', displayName: 'Guarded' }).expect(201)).body as InvitationCreated;
    const member = await inviteNew(app, lead, session.id, 'Member', { role: 'party_member', partyId: session.parties[0].id });
    const outsider = await register(app, 'Outsider');
    const base = `/api/sessions/${session.id}/invitations`;
    expect((await app.http().get(base).set(bearer(member)).expect(403)).body.code).toBe('MEDIATOR_ONLY');
    expect((await app.http().delete(`${base}/${inv.id}`).set(bearer(member)).expect(403)).body.code).toBe('MEDIATOR_ONLY');
    expect((await app.http().post(`${base}/${inv.id}/reissue`).set(bearer(member)).expect(403)).body.code).toBe('MEDIATOR_ONLY');
    expect((await app.http().get(base).set(bearer(outsider)).expect(404)).body.code).toBe('SESSION_NOT_FOUND');
    expect((await app.http().post(`${base}/${inv.id}/reissue`).set(bearer(outsider)).expect(404)).body.code).toBe('SESSION_NOT_FOUND');
    await app.http().get(`/api/invitations/${inv.token}`).expect(200);
  });

  it('answers bad input with a code and the field', async () => {
    const cases: Array<[object, string]> = [
      [{ role: 'observer', displayName: '' }, 'displayName'],
      [{ role: 'observer', displayName: '   ' }, 'displayName'],
      [{ role: 'observer', displayName: 'x'.repeat(121) }, 'displayName'],
      [{ role: 'observer', displayName: 'Nor\u202Ed' }, 'displayName'],
      [{ role: 'observer', displayName: 42 }, 'displayName'],
      [{ role: 'observer', displayName: null }, 'displayName'],
    ];
    for (const [body, field] of cases) {
      const res = await invite(body);
      expect({ status: res.status, code: res.body.code, field: res.body.field }).toEqual({ status: 400, code: 'VALIDATION_FAILED', field });
    }
    const base = `/api/sessions/${session.id}/invitations`;
    expect((await app.http().post(`${base}/not-a-uuid/reissue`).set(bearer(lead)).expect(400)).body).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'invitationId',
    });
    expect((await app.http().post(`${base}/${crypto.randomUUID()}/reissue`).set(bearer(lead)).expect(404)).body).toMatchObject({
      code: 'INVITATION_NOT_FOUND',
      field: 'invitationId',
    });
  });
});

describe('links that only this machine can open', () => {
  it('is flagged when PUBLIC_URL is on loopback while HOST serves other machines', () => {
    expect(linksReachOnlyThisMachine('http://localhost:3000', '0.0.0.0')).toBe(true);
    expect(linksReachOnlyThisMachine('http://127.0.1.1:3000', '192.168.1.20')).toBe(true);
    expect(linksReachOnlyThisMachine('http://[::1]:3000', '::')).toBe(true);
    expect(linksReachOnlyThisMachine('http://localhost:3000', '127.0.0.1')).toBe(false);
    expect(linksReachOnlyThisMachine('http://localhost:3000', 'localhost')).toBe(false);
    expect(linksReachOnlyThisMachine('https://parley.example.org', '0.0.0.0')).toBe(false);
    expect(publicUrlWarning('http://localhost:3000', '0.0.0.0')).toContain('PUBLIC_URL');
    expect(publicUrlWarning('https://parley.example.org', '0.0.0.0')).toBeNull();
  });

  it('says so in the invitation a server on every interface creates', async () => {
    // Bound on 127.0.0.1 by the harness whatever HOST says: HOST is what the configuration declares.
    const app = await startApp({ HOST: '0.0.0.0', PUBLIC_URL: 'http://localhost:3000' });
    try {
      const lead = await register(app, 'Lead');
      const session = await createSession(app, lead, ['A']);
      const res = await app
        .http()
        .post(`/api/sessions/${session.id}/invitations`)
        .set(bearer(lead))
        .send({ role: 'observer', displayName: 'Far Away' });
      expect(res.status).toBe(201);
      expect(res.body.localOnly).toBe(true);
      expect(res.body.url).toMatch(/^http:\/\/localhost:3000\/invitations\//);
    } finally {
      await app.close();
    }
  });
});
