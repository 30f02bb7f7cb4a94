import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import type { TokenPair } from '@parley/contracts';
import { TestClient, type TestApp } from './harness';
import { startMediation, type Mediation } from './mediation';
import { bearer, createSession, register, type Person } from './people';
import type { NoRoleAuth, Role } from './fuzz-http';
import type { IdRef } from './fuzz-values';

/**
 * The world the fuzz suite sends into: a running mediation (its lead mediator, a head of
 * delegation, an observer, each with a joined socket), an outsider leading a session of their own
 * (the decoy), and real objects of every kind — a clause with options, a shuttle message, a tabled
 * proposal, a joint room, a pending invitation — whose ids the generated cases refer to.
 */
export class Arena {
  m!: Mediation;
  outsider!: Person;
  outsiderClient!: TestClient;
  /** Real ids by kind (`sessionId`, `roomId` …), the mediation's first. */
  pools: Record<string, string[]> = {};
  /** Each role's own ids by kind (see pick). */
  homes: Record<Exclude<Role, 'none'>, Record<string, string>> = { lead: {}, member: {}, observer: {}, outsider: {} };
  private ghost = '';
  private unsigned = '';
  /** Why the world was rebuilt, each time (printed with the counts). */
  readonly rebuilds: string[] = [];

  constructor(private readonly app: TestApp) {}

  async build(): Promise<void> {
    const app = this.app;
    const m = await startMediation(app);
    const post = async (who: Person, path: string, body: object, status = 201) => (await m.post(who, path, body).expect(status)).body;
    const edit = await post(m.mediator, '/agreement/changes', {
      change: {
        kind: 'insert',
        heading: 'Border',
        wording: { text: 'The border runs along {{1}}.', segments: [{ options: [{ text: 'the river' }, { text: 'the ridge' }] }] },
      },
    });
    const clause = edit.clauses.find((c: { id: string }) => c.id === edit.clauseId);
    const message = await post(m.a1, '/shuttle', {
      text: 'For the mediator only',
      label: 'mediator_only',
      clientMessageId: `fuzz-${randomUUID()}`,
    });
    const proposal = await post(m.a1, '/agreement/proposals', {
      visibility: 'tabled',
      change: {
        kind: 'replace',
        clauseId: edit.clauseId,
        baseVersion: clause.version,
        wording: { text: 'The border runs along the river.' },
      },
    });
    const joint = await post(m.mediator, '/rooms', { name: 'Heads of delegation', memberIds: [m.a1.participantId, m.b1.participantId] });
    const invitation = await post(m.mediator, '/invitations', { role: 'observer' });

    const outsider = await register(app, 'Outsider Otto');
    const decoy = await createSession(app, outsider, ['East', 'West']);
    const decoyInvitation = (
      await app.http().post(`/api/sessions/${decoy.id}/invitations`).set(bearer(outsider)).send({ role: 'observer' }).expect(201)
    ).body;
    const spare = (
      await app
        .http()
        .post('/api/auth/register')
        .send({ email: `spare.${randomUUID()}@parley.test`, password: 'correct horse battery staple', displayName: 'Spare' })
        .expect(201)
    ).body as TokenPair;
    const participants = (await m.get(m.mediator, '/participants').expect(200)).body as Array<{ id: string }>;

    this.m?.close();
    this.outsiderClient?.close();
    this.m = m;
    this.outsider = outsider;
    this.outsiderClient = await TestClient.connect(app.url, outsider.token);
    this.pools = {
      sessionId: [m.session.id, decoy.id],
      participantId: [...participants.map((p) => p.id), decoy.me.id],
      roomId: [...m.session.rooms.map((r) => r.id), joint.id ?? joint.room?.id, ...decoy.rooms.map((r) => r.id)].filter(Boolean),
      partyId: [m.partyA, m.partyB, ...decoy.parties.map((p) => p.id)],
      clauseId: [edit.clauseId],
      segmentId: [clause.segments[0].id],
      optionId: ['A', 'B', 'C'],
      proposalId: [proposal.id],
      messageId: [message.id],
      invitationId: [invitation.id, decoyInvitation.id],
      // Only the decoy's link: accepting one of the mediation's would make the outsider an insider.
      token: [decoyInvitation.token],
      refreshToken: spare.refreshToken ? [spare.refreshToken] : [],
      email: [m.mediator.email, m.a1.email, outsider.email, 'nobody@parley.test'],
      sha256: ['0'.repeat(64), 'f'.repeat(64)],
    };
    const decoyPlenary = decoy.rooms.find((r) => r.kind === 'plenary')?.id ?? '';
    this.homes = {
      lead: { sessionId: m.session.id, roomId: m.mediatorRoom, participantId: m.mediator.participantId!, partyId: m.partyA },
      member: { sessionId: m.session.id, roomId: m.caucusA, participantId: m.a1.participantId!, partyId: m.partyA },
      observer: { sessionId: m.session.id, roomId: m.plenary, participantId: m.observer.participantId!, partyId: m.partyA },
      outsider: { sessionId: decoy.id, roomId: decoyPlenary, participantId: decoy.me.id, partyId: decoy.parties[0].id },
    };
    const jwt = app.app.get(JwtService, { strict: false });
    this.ghost = jwt.sign({ sub: randomUUID(), typ: 'access' }, { issuer: 'parley', algorithm: 'HS256', expiresIn: 600 });
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    this.unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: m.mediator.userId, typ: 'access', iss: 'parley' })}.`;
  }

  /**
   * A real id of the kind referred to, or a fixed unknown one when the run has none. Three in four
   * references name the sender's own: their session, room, party, participant — so that
   * a case gets past membership to what it is testing; the others pick any, by `n`.
   */
  pick = (ref: IdRef, role?: Role): string => {
    const own = role && role !== 'none' && ref.n % 4 !== 0 ? this.homes[role][ref.$id] : undefined;
    if (own) return own;
    const pool = this.pools[ref.$id];
    if (pool?.length) return pool[ref.n % pool.length];
    return `00000000-0000-4000-8000-${String(ref.n).padStart(12, '0')}`;
  };

  person(role: Exclude<Role, 'none'>): Person {
    return role === 'lead' ? this.m.mediator : role === 'member' ? this.m.a1 : role === 'observer' ? this.m.observer : this.outsider;
  }

  client(role: Exclude<Role, 'none'>): TestClient {
    return role === 'outsider' ? this.outsiderClient : this.m.client(this.person(role));
  }

  /** The Authorization header a case is sent with. */
  authorization(role: Role, auth: NoRoleAuth): string | null {
    if (role !== 'none') return `Bearer ${this.person(role).token}`;
    switch (auth) {
      case 'absent':
        return null;
      case 'empty-bearer':
        return 'Bearer ';
      case 'junk':
        return 'Bearer not.a.token';
      case 'basic':
        return 'Basic dXNlcjpwYXNzd29yZA==';
      case 'ghost':
        return `Bearer ${this.ghost}`;
      case 'unsigned':
        return `Bearer ${this.unsigned}`;
      case 'refresh-as-access':
        return `Bearer ${this.pools.refreshToken[0] ?? 'none'}`;
    }
  }

  /**
   * Puts the world back where a case may have moved it: a suspended session reopened, sockets
   * reconnected and rejoined. A closed session, a changed role, or a token that no longer works
   * (signed out, account deleted) cannot be put back: a new mediation is built.
   */
  async ensure(): Promise<'intact' | 'repaired' | 'rebuilt'> {
    const app = this.app;
    const m = this.m;
    // A sign-in a case ended (sign-out, a sign-in ended by id) is signed in again; a deleted account cannot be.
    const renewed = new Set<Person>();
    for (const p of [m.mediator, m.a1, m.observer, this.outsider]) {
      if ((await app.http().get('/api/auth/me').set(bearer(p))).status === 200) continue;
      const login = await app.http().post('/api/auth/login').send({ email: p.email, password: p.password });
      if (login.status !== 200 && login.status !== 201) {
        this.rebuilds.push(`${p.name} cannot sign in again (${login.body?.code})`);
        await this.build();
        return 'rebuilt';
      }
      p.token = (login.body as TokenPair).accessToken;
      renewed.add(p);
    }
    const view = await app.http().get(`/api/sessions/${m.session.id}`).set(bearer(m.mediator));
    let broken = view.status !== 200 || view.body.status === 'closed';
    if (!broken) {
      const participants = (await m.get(m.mediator, '/participants')).body as Array<{ id: string; role: string; isHead?: boolean }>;
      const roleOf = (p: Person) => participants.find?.((x) => x.id === p.participantId);
      broken =
        roleOf(m.mediator)?.role !== 'lead_mediator' || roleOf(m.a1)?.role !== 'party_member' || roleOf(m.observer)?.role !== 'observer';
    }
    if (broken) {
      this.rebuilds.push(
        view.status !== 200 ? `session ${view.status}` : view.body.status === 'closed' ? 'session closed' : 'a role changed',
      );
      await this.build();
      return 'rebuilt';
    }
    let repaired = renewed.size > 0;
    if (view.body.status !== 'open') {
      const r = await m.post(m.mediator, '/status', { status: 'open' });
      if (r.status !== 200) {
        this.rebuilds.push(`session ${view.body.status} not reopened (${r.body?.code})`);
        await this.build();
        return 'rebuilt';
      }
      repaired = true;
    }
    for (const role of ['lead', 'member', 'observer', 'outsider'] as const) {
      const c = this.client(role);
      if (c.socket.connected && !renewed.has(this.person(role))) continue;
      c.close();
      const fresh = await TestClient.connect(app.url, this.person(role).token);
      if (role === 'outsider') this.outsiderClient = fresh;
      else {
        await fresh.join(m.session.id);
        m.clients.set(this.person(role), fresh);
      }
      repaired = true;
    }
    return repaired ? 'repaired' : 'intact';
  }

  close(): void {
    this.m?.close();
    this.outsiderClient?.close();
  }
}
