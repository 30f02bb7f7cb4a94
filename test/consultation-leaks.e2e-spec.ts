import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ConsultationView, ErrorCode } from '@parley/contracts';
import { RESPONDENT_CODE_HEADER } from '@parley/contracts';
import { createConsultation, respondentHttp, startRespondent, type TestRespondent } from './support/consultation';
import { TestClient, startApp, type TestApp } from './support/harness';
import { audienceOf, LEAK_ROLES, rosterOf, startMediation, type LeakRole, type Mediation } from './support/mediation';
import { bearer, type Person } from './support/people';

/**
 * Issue 19's walls, both ways, generated over every role of the session (LEAK_ROLES) and the new
 * kind of user, the respondent (two, in two groups):
 * - rejected and pending statements reach the mediators and their author only; an approved one
 *   also the respondents who vote on it; a tabled one also everyone seated in the session;
 * - no respondent's id (what would join a statement or a vote to a person) reaches anyone;
 * - a return code reaches its respondent only, a one-time code the mediators who issued it only;
 * - nothing of the talks (caucus chat, shuttle messages) reaches a respondent.
 * Every way in is read: every consultation route for every role, every socket event received, the
 * audit trail, and every error answered. Then the permission table: role × action → outcome.
 */
type Role = LeakRole | 'respondentA' | 'respondentB';
const ROLES: Role[] = [...LEAK_ROLES, 'respondentA', 'respondentB'];
type Audience = 'mediators' | 'session' | 'respondentA' | 'respondentB' | 'nobody';

const sessionAudience = (role: Role): Audience[] => {
  if (role === 'respondentA' || role === 'respondentB') return [role];
  const a = audienceOf(role);
  if (a.includes('mediators')) return ['mediators', 'session'];
  return a.length ? ['session'] : [];
};
const entitled = (role: Role, audience: Audience[]) => audience.some((a) => sessionAudience(role).includes(a));

/** Every string anywhere in a payload, keys included. */
function texts(x: unknown, out: string[] = []): string[] {
  if (x === null || x === undefined) return out;
  if (typeof x === 'string') out.push(x);
  else if (Array.isArray(x)) x.forEach((v) => texts(v, out));
  else if (typeof x === 'object')
    for (const [k, v] of Object.entries(x)) {
      out.push(k);
      texts(v, out);
    }
  else if (typeof x === 'number' || typeof x === 'boolean') out.push(String(x));
  return out;
}

describe('consultation: what reaches whom, for every role and the respondents', () => {
  let app: TestApp;
  let m: Mediation;
  let people: Record<Exclude<LeakRole, 'anonymous'>, Person>;
  let c: ConsultationView;
  let other: ConsultationView;
  let rA: TestRespondent;
  let rB: TestRespondent;
  const seen = new Map<Role, unknown[]>();
  const markers: Record<string, Audience[]> = {
    MKREJECTED: ['mediators', 'respondentA'],
    MKPENDING: ['mediators', 'respondentA'],
    MKAPPROVEDONLY: ['mediators', 'respondentA', 'respondentB'],
    MKTABLED: ['mediators', 'respondentA', 'respondentB', 'session'],
    MKTALKSCAUCUS: ['mediators', 'session'],
    MKTALKSSHUTTLE: ['mediators', 'session'],
  };
  const clients = new Map<Role, TestClient>();
  const outcomes = new Map<string, number | ErrorCode>();

  const record = (role: Role, body: unknown) => {
    if (!seen.has(role)) seen.set(role, []);
    seen.get(role)!.push(body);
  };
  const asRole = (role: Role) => {
    const headers: Record<string, string> =
      role === 'anonymous'
        ? {}
        : role === 'respondentA'
          ? { [RESPONDENT_CODE_HEADER]: rA.returnCode }
          : role === 'respondentB'
            ? { [RESPONDENT_CODE_HEADER]: rB.returnCode }
            : bearer(people[role]);
    const base = `/api/sessions/${m.session.id}`;
    const send = async (method: 'get' | 'post', path: string, body?: object) => {
      const req = app.http()[method](`${base}${path}`).set(headers);
      const res = method === 'post' ? await req.send(body ?? {}) : await req;
      record(role, res.body);
      return res;
    };
    return { get: (p: string) => send('get', p), post: (p: string, b?: object) => send('post', p, b) };
  };

  beforeAll(async () => {
    app = await startApp();
    m = await startMediation(app, { interpreters: true });
    people = await rosterOf(app, m);
    // The talks: a caucus line and a shuttle message of North.
    await m
      .post(m.a1, `/rooms/${m.caucusA}/messages`, { text: 'MKTALKSCAUCUS our bottom line', clientMessageId: randomUUID() })
      .expect(201);
    await m
      .post(m.a1, '/shuttle', { text: 'MKTALKSSHUTTLE for you only', label: 'mediator_only', clientMessageId: randomUUID() })
      .expect(201);
    record('partyAHead', (await m.get(m.a1, `/rooms/${m.caucusA}/events`).expect(200)).body);
    // Sockets for every seated role (the co-mediator and the outsider have none from the mediation).
    for (const role of LEAK_ROLES) {
      if (role === 'anonymous' || role === 'nonParticipant') continue;
      const p = people[role];
      let client = m.clients.get(p);
      if (!client) {
        client = await TestClient.connect(app.url, p.token);
        await client.join(m.session.id);
      }
      client.clear();
      clients.set(role, client);
    }

    c = await createConsultation(m, { requireCode: true, groups: [{ name: 'Victims' }, { name: 'Youth' }] });
    other = await createConsultation(m, { title: 'Another consultation', requireCode: false });
    const codesA = (await m.post(m.mediator, `/consultations/${c.id}/groups/${c.groups[0].id}/codes`, { count: 2 }).expect(201)).body.codes;
    const codesB = (await m.post(m.mediator, `/consultations/${c.id}/groups/${c.groups[1].id}/codes`, { count: 1 }).expect(201)).body.codes;
    for (const code of [...codesA, ...codesB]) markers[code] = ['mediators'];
    record('leadMediator', [codesA, codesB]);
    rA = await startRespondent(app, c.groups[0].link, 0, codesA[0]);
    rB = await startRespondent(app, c.groups[1].link, 1, codesB[0]);
    markers[rA.returnCode] = ['respondentA'];
    markers[rB.returnCode] = ['respondentB'];
    const a = respondentHttp(app, rA);
    const b = respondentHttp(app, rB);
    const say = async (who: typeof a, text: string) => (await who.post('/statements', { text }).expect(201)).body.id as string;
    const rejected = await say(a, 'MKREJECTED a name and an address');
    await say(a, 'MKPENDING still waiting');
    const approvedOnly = await say(a, 'MKAPPROVEDONLY fishing rights for all');
    const tabled = await say(a, 'MKTABLED the harbour stays open');
    const fodder = [await say(b, 'Schools near the harbour'), await say(b, 'Night buses to the port')];
    const mod = (id: string, body: object) => m.post(m.mediator, `/consultations/${c.id}/statements/${id}/moderation`, body).expect(200);
    await mod(rejected, { decision: 'reject', reason: 'identifies_someone' });
    await mod(approvedOnly, { decision: 'approve' });
    await mod(tabled, { decision: 'approve' });
    // Respondent B meets the pool, and votes: individual votes, which only the figures may carry.
    record('respondentB', (await b.get('/ballot').expect(200)).body);
    await b.post('/votes', { statementId: tabled, vote: 'agree' }).expect(200);
    await b.post('/votes', { statementId: approvedOnly, vote: 'disagree' }).expect(200);
    const ids: Array<{ id: string }> = await app.app.get(DataSource).query(`SELECT id FROM consultation_respondents`);
    for (const { id } of ids) markers[id] = ['nobody'];

    // Every role reads every consultation route, and tries every mediators' act (the answers are read too).
    let fodderLeft = [...fodder];
    for (const role of ROLES) {
      const as = asRole(role);
      const consultation = `/consultations/${c.id}`;
      const code = (res: { status: number; body: { code?: ErrorCode } }) => (res.status < 300 ? res.status : res.body.code!);
      outcomes.set(`${role}:list`, code(await as.get('/consultations')));
      outcomes.set(`${role}:get`, code(await as.get(consultation)));
      outcomes.set(`${role}:queue`, code(await as.get(`${consultation}/statements`)));
      outcomes.set(`${role}:results`, code(await as.get(`${consultation}/results`)));
      outcomes.set(`${role}:verify`, code(await as.get(`${consultation}/results/verification`)));
      outcomes.set(`${role}:summaries`, code(await as.get('/consultation-summaries')));
      outcomes.set(`${role}:audit`, code(await as.get('/audit')));
      const created = await as.post('/consultations', {
        title: `By ${role}`,
        prompt: 'A prompt',
        languages: ['en'],
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        requireCode: false,
        groups: [{ name: 'One' }],
      });
      outcomes.set(`${role}:create`, code(created));
      outcomes.set(
        `${role}:issueCodes`,
        code(await as.post(`/consultations/${other.id}/groups/${other.groups[0].id}/codes`, { count: 1 })),
      );
      // Once the fodder is decided, any id does: the others are refused before a statement is looked up.
      const target = fodderLeft[0] ?? rejected;
      const moderated = await as.post(`${consultation}/statements/${target}/moderation`, { decision: 'approve' });
      if (moderated.status === 200) fodderLeft = fodderLeft.slice(1);
      outcomes.set(`${role}:moderate`, code(moderated));
      outcomes.set(`${role}:close`, code(await as.post(`/consultations/${created.status === 201 ? created.body.id : other.id}/close`)));
    }
    // Tabled last, by the lead mediator, so that every role's socket may receive it.
    await m.post(m.mediator, `/consultations/${c.id}/summaries`, { title: 'Heard so far', statementIds: [tabled] }).expect(201);
    for (const role of ROLES) outcomes.set(`${role}:summariesAfter`, (await asRole(role).get('/consultation-summaries')).status);
    // The respondents read everything their door offers.
    for (const [role, r] of [
      ['respondentA', rA],
      ['respondentB', rB],
    ] as const) {
      const door = respondentHttp(app, r);
      for (const path of ['', '/me', '/ballot']) record(role, (await door.get(path)).body);
    }
    for (const [role, client] of clients) {
      await client.sync();
      record(role, client.events);
    }
  }, 120_000);

  afterAll(async () => {
    for (const [role, client] of clients) if (!m.clients.has(people[role as Exclude<LeakRole, 'anonymous'>])) client.close();
    m.close();
    await app.close();
  });

  const cases = ROLES.flatMap((role) =>
    Object.keys({ MKREJECTED: 1, MKPENDING: 1, MKAPPROVEDONLY: 1, MKTABLED: 1, MKTALKSCAUCUS: 1, MKTALKSSHUTTLE: 1 }).map(
      (marker) => [role, marker] as const,
    ),
  );
  it.each(cases)('%s: %s only where entitled', (role, marker) => {
    const all = texts(seen.get(role) ?? []).join('\n');
    const audience = markers[marker];
    // The talks markers are for the session's own rules (their suites); here: never to a respondent.
    if (marker.startsWith('MKTALKS')) {
      if (role === 'respondentA' || role === 'respondentB') expect(all).not.toContain(marker);
      return;
    }
    if (entitled(role, audience)) expect(all).toContain(marker);
    else expect(all).not.toContain(marker);
  });

  it.each(ROLES)('%s: no respondent id, no code of anyone else', (role) => {
    const all = texts(seen.get(role) ?? []).join('\n');
    for (const [marker, audience] of Object.entries(markers)) {
      if (marker.startsWith('MK')) continue;
      if (audience.includes('nobody')) expect(all).not.toContain(marker);
      else if (!entitled(role, audience)) expect(all).not.toContain(marker);
    }
  });

  it('the markers were planted where their audiences do see them', () => {
    const mediator = texts(seen.get('leadMediator')).join('\n');
    for (const marker of [
      'MKREJECTED',
      'MKPENDING',
      'MKAPPROVEDONLY',
      'MKTABLED',
      ...Object.keys(markers).filter((k) => /^[0-9A-Z]{4}-/.test(k) && markers[k][0] === 'mediators'),
    ]) {
      expect(mediator).toContain(marker);
    }
    const caucus = texts(seen.get('partyAHead')).join('\n');
    expect(caucus).toContain('MKTALKSCAUCUS');
  });

  /** The permission table: role × action → outcome (status for a success, else the error code). */
  const MEDIATOR: Record<string, number | ErrorCode> = {
    list: 200,
    get: 200,
    queue: 200,
    results: 200,
    verify: 'CONSULTATION_NOT_CLOSED',
    summaries: 200,
    audit: 200,
    create: 201,
    issueCodes: 201,
    moderate: 200,
    close: 200,
    summariesAfter: 200,
  };
  const row = (all: number | ErrorCode, over: Record<string, number | ErrorCode> = {}) =>
    Object.fromEntries(Object.keys(MEDIATOR).map((k) => [k, over[k] ?? all]));
  const SEATED = row('MEDIATOR_ONLY', { summaries: 200, summariesAfter: 200 });
  const TABLE: Record<Role, Record<string, number | ErrorCode>> = {
    leadMediator: MEDIATOR,
    coMediator: MEDIATOR,
    partyAHead: SEATED,
    partyAMember: SEATED,
    partyBHead: SEATED,
    partyBMember: SEATED,
    observer: SEATED,
    partyAInterpreter: SEATED,
    mediatorsInterpreter: SEATED,
    nonParticipant: row('SESSION_NOT_FOUND', { summariesAfter: 404 }),
    anonymous: row('UNAUTHENTICATED', { summariesAfter: 401 }),
    // A return code is no account: the session's routes do not know it.
    respondentA: row('UNAUTHENTICATED', { summariesAfter: 401 }),
    respondentB: row('UNAUTHENTICATED', { summariesAfter: 401 }),
  };
  it.each(ROLES.flatMap((role) => Object.keys(MEDIATOR).map((action) => [role, action] as const)))(
    '%s may %s: as the table says',
    (role, action) => {
      expect(outcomes.get(`${role}:${action}`)).toBe(TABLE[role][action]);
    },
  );
});
