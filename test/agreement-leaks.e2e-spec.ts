import { randomUUID } from 'node:crypto';
import type { Ack, AgreementView, ErrorCode, ProposalView, SessionView } from '@parley/contracts';
import { Y, sync } from '@parley/agreement/infrastructure/yjs';
import { connectRejected, startApp, TestClient, type TestApp } from './support/harness';
import { DraftEditor, syncMessage } from './support/drafts';
import { audienceOf, LEAK_ROLES, rosterOf, startMediation, type LeakRole, type Mediation } from './support/mediation';
import { bearer, register, type Person } from './support/people';

/**
 * The single negotiating text leaks nothing: a private proposal reaches its delegation and the
 * mediators only; a tabled one, responses and comments every delegation but no observer; a
 * delegation's live draft (Yjs bytes included) its caucus and the mediators; the mediators' draft
 * the mediators; the text itself everyone in the session — without linking a clause to the private
 * proposal it came from for anyone who may not see that proposal; supports and marks the
 * negotiators. Checked per role over every way in: live events, reads, acks, exports, errors.
 * Then the agreement permission table: role × action → outcome, over HTTP and Socket.IO.
 */
const ROLES = LEAK_ROLES;
type Role = LeakRole;
type Audience = 'mediators' | 'partyA' | 'partyB' | 'observer';

const A: Audience[] = ['mediators', 'partyA'];
const B: Audience[] = ['mediators', 'partyB'];
const NEGOTIATORS: Audience[] = ['mediators', 'partyA', 'partyB'];
const SESSION: Audience[] = [...NEGOTIATORS, 'observer'];

/** Each marker, where it is planted, and who may ever see it. */
const MARKERS: Record<string, Audience[]> = {
  MKPRIVATEXT: A, // party A's private proposal: wording
  MKPRIVAWHY: A, // … and rationale
  MKPRIVBTEXT: B, // party B's private proposal: wording
  MKPRIVBWHY: B, // … and rationale
  MKWITHDRAWNB: B, // a private proposal party B withdrew
  MKCOUNTEREDTEXT: A, // a private proposal of party A the mediator answers with a tabled one
  MKADOPTWHY: A, // the rationale of the private proposal of party A that was adopted
  MKTABLEDTEXT: NEGOTIATORS, // party A's tabled proposal: wording
  MKTABLEDWHY: NEGOTIATORS, // … and rationale
  MKRESPA: NEGOTIATORS, // party A's comment on it
  MKRESPB: NEGOTIATORS, // party B's comment on it
  MKMEDPROP: NEGOTIATORS, // the mediator's tabled proposal
  MKDRAFTA: A, // party A's live caucus draft
  MKDRAFTB: B, // party B's live caucus draft
  MKDRAFTMED: ['mediators'], // the mediators' live draft
  MKCLAUSE: SESSION, // a clause of the text
  MKOPTIONA: SESSION, // option A of a bracket (kept when cleaned)
  MKOPTIONB: SESSION, // option B (dropped when cleaned)
  MKADOPTED: SESSION, // the wording of party A's private proposal, once adopted into the text
};

/** Each proposal, and who may ever learn its id. Observers see no proposal at all. */
const PROPOSALS = {
  privateA: A,
  privateB: B,
  withdrawnB: B,
  counteredA: A,
  adoptedA: A,
  tabledA: NEGOTIATORS,
  mediatorTabled: NEGOTIATORS,
} satisfies Record<string, Audience[]>;
type ProposalKey = keyof typeof PROPOSALS;
const PROPOSAL_KEYS = Object.keys(PROPOSALS) as ProposalKey[];

const entitled = (role: Role, audience: Audience[]) => audience.some((a) => audienceOf(role).includes(a));
const isParticipant = (role: Role) => role !== 'nonParticipant' && role !== 'anonymous';

/** Every string and every byte of binary anywhere in a payload; binary as latin1 (markers are ASCII). */
function texts(x: unknown, out: string[] = []): string[] {
  if (x === null || x === undefined) return out;
  if (typeof x === 'string') out.push(x);
  else if (x instanceof Uint8Array) out.push(Buffer.from(x).toString('latin1'));
  else if (x instanceof ArrayBuffer) out.push(Buffer.from(new Uint8Array(x)).toString('latin1'));
  else if (Array.isArray(x)) x.forEach((v) => texts(v, out));
  else if (typeof x === 'object')
    for (const [k, v] of Object.entries(x)) {
      out.push(k);
      texts(v, out);
    }
  else if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') out.push(String(x));
  return out;
}

interface Reply {
  status: number;
  body: unknown;
}
interface Seen {
  /** Everything the role got, as text. */
  all: string[];
  /** What its live socket received during the whole scenario, as text (binary payloads included). */
  live: string[];
  /** Every error body (HTTP) and refused acknowledgement (Socket.IO). */
  errors: string[];
  /** Every view of the text it got. */
  views: AgreementView[];
  history: Reply | null;
  /** Refusals on proposals it may not see (and on an unknown id), while drafting and once final. */
  probes: Record<string, Record<string, Reply>>;
}

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app.close();
});

describe('agreement leaks', () => {
  let m: Mediation;
  const devices: TestClient[] = [];
  let people: Record<Exclude<Role, 'anonymous'>, Person>;
  const live = {} as Partial<Record<Role, TestClient>>;
  const seen = {} as Record<Role, Seen>;
  const ids = {} as Record<ProposalKey, string>;
  const clauses = {} as Record<'public' | 'bracket' | 'ports' | 'adopt', string>;
  const editors = {} as Record<'a1' | 'a2' | 'b1' | 'mediators', DraftEditor>;
  const unknownId = randomUUID();
  const emptyStateVector = () => Y.encodeStateVector(new Y.Doc());

  const base = () => `/api/sessions/${m.session.id}`;
  const withAuth = <T extends { set: (h: Record<string, string>) => T }>(role: Role, req: T): T =>
    role === 'anonymous' ? req : req.set(bearer(people[role]));

  async function keepHttp(role: Role, req: PromiseLike<{ status: number; text: string; body: any }>): Promise<Reply> {
    const res = await req;
    const s = seen[role];
    s.all.push(res.text);
    if (res.status >= 300) s.errors.push(res.text);
    else if (res.body && typeof res.body.update === 'string') s.all.push(Buffer.from(res.body.update, 'base64').toString('latin1'));
    else if (res.body && Array.isArray(res.body.clauses) && 'revision' in res.body) s.views.push(res.body);
    return { status: res.status, body: res.body };
  }
  const get = (role: Role, path: string) => keepHttp(role, withAuth(role, app.http().get(`${base()}${path}`)));
  const post = (role: Role, path: string, body: object = {}) =>
    keepHttp(role, withAuth(role, app.http().post(`${base()}${path}`)).send(body));

  /** Asks over the role's live socket (anonymous has none: its connection was refused). */
  async function ask(role: Role, event: string, payload: unknown): Promise<Reply | null> {
    const c = live[role];
    if (!c) return null;
    const ack: Ack<any> = await c.ask(event, payload);
    const s = seen[role];
    s.all.push(...texts(ack));
    if (!ack.ok) s.errors.push(JSON.stringify(ack));
    else if (event === 'agreement.get') s.views.push(ack.data);
    return ack.ok ? { status: 200, body: ack.data } : { status: 0, body: ack.error };
  }

  const hiddenFrom = (role: Role) => PROPOSAL_KEYS.filter((k) => !entitled(role, PROPOSALS[k]));

  /** Every refusal a role gets on a proposal id, so they can be compared with those on an unknown id. */
  async function probe(role: Role, phase: 'drafting' | 'final', key: ProposalKey | 'unknown'): Promise<void> {
    const id = key === 'unknown' ? unknownId : ids[key];
    const out: Record<string, Reply> = {};
    out.get = await get(role, `/agreement/proposals/${id}`);
    out.respond = await post(role, `/agreement/proposals/${id}/responses`, { response: 'accept', comment: 'probe' });
    out.withdraw = await post(role, `/agreement/proposals/${id}/withdraw`);
    out.adopt = await post(role, `/agreement/proposals/${id}/adopt`);
    const socketRespond = await ask(role, 'agreement.respond', { proposalId: id, response: 'reject', comment: 'probe' });
    if (socketRespond) out.socketRespond = socketRespond;
    // Answering a proposal one may not see: the same refusal as for an id that does not exist.
    const counter = await ask(role, 'agreement.propose', {
      visibility: 'tabled',
      counterTo: id,
      change: { kind: 'insert', afterClauseId: null, wording: { text: 'A probe.' } },
    });
    // Once final, kept apart: it is checked on its own below.
    if (phase === 'drafting' && counter) out.socketCounterTo = counter;
    seen[role].probes[`${phase}:${key}`] = out;
    if (phase === 'final') seen[role].probes[`finalCounterTo:${key}`] = counter ? { counter } : {};
  }

  /** Once final: everything live events, reads, drafts, exports, acks and refusals give one role. */
  async function gather(role: Role): Promise<void> {
    const s = seen[role];
    for (const e of live[role]?.events ?? []) {
      s.live.push(e.event, ...texts(e.payload));
      s.all.push(e.event, ...texts(e.payload));
      if (e.event === 'agreement.text') s.views.push(e.payload);
    }
    await get(role, '/agreement');
    await get(role, '/agreement/proposals');
    for (const key of PROPOSAL_KEYS) await get(role, `/agreement/proposals/${ids[key]}`);
    s.history = await get(role, '/agreement/history');
    const text = (await m.get(m.mediator, '/agreement').expect(200)).body as AgreementView;
    for (const c of text.clauses) await get(role, `/agreement/clauses/${c.id}/redline?from=1&to=${c.version}`);
    await get(role, '/drafts/mediators');
    await get(role, `/drafts/parties/${m.partyA}`);
    await get(role, `/drafts/parties/${m.partyB}`);
    for (const format of ['markdown', 'html', 'json']) await get(role, `/agreement/export?format=${format}`);
    await get(role, '/audit');
    await ask(role, 'agreement.get', {});
    for (const draft of [{ kind: 'mediators' }, { kind: 'party', partyId: m.partyA }, { kind: 'party', partyId: m.partyB }]) {
      await ask(role, 'draft.sync', { draft, message: syncMessage(sync.messageYjsSyncStep1, emptyStateVector()) });
    }
    // The text is final: every change is refused now, whoever asks, so every proposal can be probed.
    for (const key of [...PROPOSAL_KEYS, 'unknown' as const]) await probe(role, 'final', key);
  }

  beforeAll(async () => {
    m = await startMediation(app, { interpreters: true });
    people = await rosterOf(app, m);
    for (const role of ROLES) seen[role] = { all: [], live: [], errors: [], views: [], history: null, probes: {} };
    for (const role of ROLES) {
      if (role === 'anonymous') {
        const refused = await connectRejected(app.url);
        seen[role].all.push(JSON.stringify(refused));
        seen[role].errors.push(JSON.stringify(refused));
        continue;
      }
      const existing = m.clients.get(people[role]);
      live[role] = existing ?? (await TestClient.connect(app.url, people[role].token));
      if (!existing) await ask(role, 'session.join', { sessionId: m.session.id });
    }
    // The lead mediator stays in the mediator room; the co-mediator sits in caucus B.
    await m.place(people.coMediator, m.caucusB);

    // Live drafts: each delegation in its caucus, the mediators in theirs. The markers travel as Yjs bytes.
    const draftA = { kind: 'party' as const, partyId: m.partyA };
    editors.a1 = new DraftEditor(draftA);
    editors.a2 = new DraftEditor(draftA);
    editors.b1 = new DraftEditor({ kind: 'party', partyId: m.partyB });
    editors.mediators = new DraftEditor({ kind: 'mediators' });
    // The writers type on a second device: the server does not echo an update to the socket that
    // sent it, and the sockets under watch must receive every marker their person may see.
    const device = async (p: Person) => {
      const c = await TestClient.connect(app.url, p.token);
      await c.join(m.session.id);
      devices.push(c);
      return c;
    };
    await editors.a1.connect(await device(m.a1));
    await editors.a2.connect(m.client(m.a2));
    await editors.b1.connect(await device(m.b1));
    await editors.mediators.connect(await device(m.mediator));
    editors.a1.text.insert(0, 'Our bottom line: MKDRAFTA. ');
    editors.b1.text.insert(0, 'We never concede: MKDRAFTB. ');
    editors.mediators.text.insert(0, 'Bridging idea: MKDRAFTMED. ');
    await Promise.all(Object.values(editors).map((e) => e.settled()));
    expect(Object.values(editors).flatMap((e) => e.refused)).toEqual([]);

    // The text, as the mediator drafts it.
    const edit = async (change: object) =>
      (await m.post(m.mediator, '/agreement/changes', { change }).expect(201)).body as AgreementView & { clauseId: string };
    clauses.public = (
      await edit({
        kind: 'insert',
        afterClauseId: null,
        heading: 'Security',
        wording: { text: 'The parties observe a ceasefire MKCLAUSE.' },
      })
    ).clauseId;
    const bracketed = await edit({
      kind: 'insert',
      afterClauseId: clauses.public,
      wording: {
        text: 'Forces withdraw within {{1}}.',
        segments: [
          {
            options: [
              { text: 'MKOPTIONA days', supportedBy: [m.partyA] },
              { text: 'MKOPTIONB days', supportedBy: [m.partyB] },
            ],
          },
        ],
      },
    });
    clauses.bracket = bracketed.clauseId;
    const segment = bracketed.clauses.find((c) => c.id === clauses.bracket)!.segments[0].id;
    clauses.ports = (await edit({ kind: 'insert', afterClauseId: clauses.bracket, wording: { text: 'The ports reopen.' } })).clauseId;
    clauses.adopt = (
      await edit({ kind: 'insert', afterClauseId: clauses.ports, wording: { text: 'Fishing rights are shared.' } })
    ).clauseId;

    // Proposals, over both transports.
    const propose = async (who: Person, body: object) => (await m.post(who, '/agreement/proposals', body).expect(201)).body as ProposalView;
    const proposeLive = async (who: Person, body: object) => {
      const ack = await m.client(who).ask<ProposalView>('agreement.propose', body);
      if (!ack.ok) throw new Error(`propose refused: ${ack.error.code}`);
      return ack.data;
    };
    const ports = (text: string) => ({ kind: 'replace', clauseId: clauses.ports, baseVersion: 1, wording: { text } });
    ids.privateA = (
      await propose(m.a2, {
        visibility: 'private',
        change: ports('The ports reopen MKPRIVATEXT at once.'),
        rationale: 'Our fleet MKPRIVAWHY is idle',
      })
    ).id;
    ids.privateB = (
      await proposeLive(m.b2, {
        visibility: 'private',
        change: ports('The ports reopen MKPRIVBTEXT under escort.'),
        rationale: 'Security MKPRIVBWHY first',
      })
    ).id;
    ids.withdrawnB = (await propose(m.b1, { visibility: 'private', change: ports('The ports stay shut MKWITHDRAWNB.') })).id;
    await m.post(m.b1, `/agreement/proposals/${ids.withdrawnB}/withdraw`).expect(200);
    ids.tabledA = (
      await propose(m.a1, {
        visibility: 'tabled',
        change: ports('The ports reopen MKTABLEDTEXT in stages.'),
        rationale: 'Phasing MKTABLEDWHY helps',
      })
    ).id;
    const answered = await m
      .client(m.b1)
      .ask('agreement.respond', { proposalId: ids.tabledA, response: 'reject', comment: 'Too slow MKRESPB' });
    expect(answered.ok).toBe(true);
    await m.post(m.a2, `/agreement/proposals/${ids.tabledA}/responses`, { response: 'accept', comment: 'Fine by us MKRESPA' }).expect(200);
    ids.counteredA = (
      await propose(m.a1, { visibility: 'private', change: ports('The ports reopen MKCOUNTEREDTEXT to our ships only.') })
    ).id;
    ids.mediatorTabled = (
      await proposeLive(m.mediator, {
        visibility: 'tabled',
        counterTo: ids.counteredA,
        change: ports('The ports reopen MKMEDPROP under joint control.'),
      })
    ).id;
    ids.adoptedA = (
      await propose(m.a1, {
        visibility: 'private',
        rationale: 'Our fishermen MKADOPTWHY starve',
        change: {
          kind: 'replace',
          clauseId: clauses.adopt,
          baseVersion: 1,
          wording: { text: 'Fishing rights MKADOPTED are shared equally.' },
        },
      })
    ).id;
    await m.post(people.coMediator, `/agreement/proposals/${ids.adoptedA}/adopt`).expect(200);

    // Supports and marks: the negotiation on the text.
    await m.post(m.b1, `/agreement/clauses/${clauses.bracket}/segments/${segment}/support`, { baseVersion: 1, optionId: 'A' }).expect(200);
    const marked = await m.client(m.a1).ask('agreement.mark', { clauseId: clauses.public, baseVersion: 1, level: 'ad_referendum' });
    expect(marked.ok).toBe(true);
    await m.post(m.b2, `/agreement/clauses/${clauses.public}/mark`, { baseVersion: 1, level: 'ad_referendum' }).expect(200);

    // While drafting: what each role reads, and every refusal on what it may not see.
    for (const role of ROLES) {
      await get(role, '/agreement');
      await ask(role, 'agreement.get', {});
      await get(role, '/agreement/proposals');
      await get(role, '/agreement/history');
      for (const key of [...hiddenFrom(role), 'unknown' as const]) await probe(role, 'drafting', key);
    }

    // Brackets cleaned, everything agreed, the text finalised (so that it exports).
    const cleaned = await m.client(m.mediator).ask('agreement.edit', {
      change: { kind: 'resolve_option', clauseId: clauses.bracket, baseVersion: 1, segmentId: segment, optionId: 'A' },
    });
    expect(cleaned.ok).toBe(true);
    const text = (await m.get(m.mediator, '/agreement').expect(200)).body as AgreementView;
    for (const level of ['ad_referendum', 'agreed']) {
      for (const c of text.clauses) {
        for (const head of [m.a1, m.b1])
          await m.post(head, `/agreement/clauses/${c.id}/mark`, { baseVersion: c.version, level }).expect(200);
      }
    }
    expect((await m.post(m.mediator, '/agreement/finalise').expect(200)).body.status).toBe('final');
    for (const c of Object.values(live)) await c.sync();
    // Gathered here, not in a test: a run filtered with -t still has every role's material.
    for (const role of ROLES) await gather(role);
  }, 120_000);

  afterAll(() => {
    Object.values(editors).forEach((e) => e.goOffline());
    devices.forEach((c) => c.close());
    for (const c of Object.values(live)) if (![...m.clients.values()].includes(c)) c.close();
    m.close();
  });

  it('no marker hides inside another (so "seen" means that marker)', () => {
    const names = Object.keys(MARKERS);
    expect(names.filter((a) => names.some((b) => a !== b && b.includes(a)))).toEqual([]);
  });

  describe.each(ROLES)('%s', (role) => {
    /** The role's material, once it is checked that both phases were gathered for it. */
    const material = (): Seen => {
      const s = seen[role];
      expect({ drafting: 'drafting:unknown' in s.probes, final: 'final:unknown' in s.probes, history: s.history !== null }).toEqual({
        drafting: true,
        final: true,
        history: true,
      });
      expect(s.all.length).toBeGreaterThan(0);
      if (isParticipant(role)) expect(s.live.length).toBeGreaterThan(0);
      return s;
    };

    it.each(Object.keys(MARKERS))('sees %s only if entitled', (marker) => {
      const everything = material().all.join('\n');
      expect({ marker, seen: everything.includes(marker) }).toEqual({ marker, seen: entitled(role, MARKERS[marker]) });
    });

    it.each(Object.keys(MARKERS))('receives %s live (events, binary draft updates included) only if entitled', (marker) => {
      const live = material().live.join('\n');
      expect({ marker, live: live.includes(marker) }).toEqual({ marker, live: entitled(role, MARKERS[marker]) });
    });

    it.each(PROPOSAL_KEYS)('learns the id of proposal %s only if entitled', (key) => {
      const everything = material().all.join('\n');
      expect({ key, known: everything.includes(ids[key]) }).toEqual({ key, known: entitled(role, PROPOSALS[key]) });
    });

    it('gets refusals that carry no marker and no id of a proposal it may not see', () => {
      const errors = material().errors.join('\n');
      expect(seen[role].errors.length).toBeGreaterThan(0);
      expect(Object.keys(MARKERS).filter((mk) => errors.includes(mk))).toEqual([]);
      expect(hiddenFrom(role).filter((k) => errors.includes(ids[k]))).toEqual([]);
    });

    it('sees the adopted clause linked to its private proposal only if it may see that proposal', () => {
      const h = material().history!;
      if (!isParticipant(role)) {
        expect(h.status).toBe(role === 'anonymous' ? 401 : 404);
        return;
      }
      if (role === 'observer' || role === 'partyAInterpreter' || role === 'mediatorsInterpreter') {
        expect(h).toMatchObject({ status: 403, body: { code: 'OBSERVER_TABLED_ONLY' } });
        return;
      }
      const versions = (h.body as { versions: Array<{ clauseId: string; version: number; proposalId: string | null; text: string }> })
        .versions;
      const adopted = versions.find((v) => v.clauseId === clauses.adopt && v.version === 2)!;
      expect(adopted.text).toContain('MKADOPTED');
      expect(adopted.proposalId).toBe(entitled(role, PROPOSALS.adoptedA) ? ids.adoptedA : null);
    });

    it('sees which party supports which option, and the marks, only if a negotiator', () => {
      const views = material().views;
      const supported = views.some((v) => v.clauses.some((c) => c.segments.some((sg) => sg.options.some((o) => o.supportedBy.length > 0))));
      const marked = views.some((v) => v.clauses.some((c) => c.marks.length > 0));
      if (!isParticipant(role)) expect(views).toEqual([]);
      else {
        // Not vacuous: it saw a disputed segment with its options, and clauses agreed (so marked).
        expect(views.some((v) => v.clauses.some((c) => c.segments.some((sg) => sg.options.length > 1)))).toBe(true);
        expect(views.some((v) => v.clauses.some((c) => c.state === 'agreed'))).toBe(true);
      }
      const negotiator = entitled(role, NEGOTIATORS);
      expect({ supported, marked }).toEqual({ supported: negotiator, marked: negotiator });
    });

    const hidden = hiddenFrom(role);
    if (!hidden.length) {
      it('may see every proposal', () => {
        expect(PROPOSAL_KEYS.every((k) => entitled(role, PROPOSALS[k]))).toBe(true);
      });
    } else {
      it.each(hidden)('is refused on proposal %s exactly as on an id that does not exist', (key) => {
        for (const phase of ['drafting', 'final'] as const) {
          const got = material().probes[`${phase}:${key}`];
          const unknown = seen[role].probes[`${phase}:unknown`];
          expect({ phase, key, got }).toEqual({ phase, key, got: unknown });
          if (isParticipant(role)) expect(got.get).toMatchObject({ status: 404, body: { code: 'PROPOSAL_NOT_FOUND' } });
        }
      });

      it('once the text is final, is refused a counter-proposal to a proposal it may not see exactly as to an unknown id', () => {
        const unknown = material().probes['finalCounterTo:unknown'];
        for (const key of hidden) expect({ key, got: seen[role].probes[`finalCounterTo:${key}`] }).toEqual({ key, got: unknown });
      });
    }
  });

  describe("moving out of the caucus cuts the delegation's draft", () => {
    const draftA = () => ({ kind: 'party' as const, partyId: m.partyA });
    const carries = (payload: unknown, marker: string) => texts(payload).some((t) => t.includes(marker));
    const stored = async (who: Person) => {
      const body = (await m.get(who, `/drafts/parties/${m.partyA}`).expect(200)).body;
      return Buffer.from(body.update, 'base64').toString('latin1');
    };

    it('after the move, a later update does not reach the member and their sync is refused; moved back, they catch up', async () => {
      const member = m.client(m.a2);
      await m.place(m.a2, m.plenary);
      const from = member.events.length;

      editors.a1.text.insert(editors.a1.text.length, 'Late change MKAFTERMOVE. ');
      await editors.a1.settled();
      // The update went out (to the caucus and the mediators)…
      await m.client(m.mediator).waitFor('draft.update', (p) => carries(p, 'MKAFTERMOVE'));
      await member.sync();
      // …but not to the member who left.
      const after = member.events.slice(from);
      expect(after.filter((e) => e.event === 'draft.update')).toEqual([]);
      expect(after.filter((e) => carries(e.payload, 'MKAFTERMOVE'))).toEqual([]);
      expect(editors.a2.text.toString()).not.toContain('MKAFTERMOVE');

      const refused = await member.ask('draft.sync', {
        draft: draftA(),
        message: syncMessage(sync.messageYjsSyncStep1, Y.encodeStateVector(editors.a2.doc)),
      });
      expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM', field: 'draft' } });
      expect(carries(refused, 'MKAFTERMOVE')).toBe(false);
      const read = await m.get(m.a2, `/drafts/parties/${m.partyA}`);
      expect(read.body).toMatchObject({ code: 'NOT_IN_ROOM' });
      expect(read.text).not.toContain('MKAFTERMOVE');
      // Writing from outside is refused too, and stores nothing.
      const outside = new Y.Doc();
      outside.getText('clause').insert(0, 'MKOUTSIDEWRITE');
      const write = await member.ask('draft.sync', {
        draft: draftA(),
        message: syncMessage(sync.messageYjsUpdate, Y.encodeStateAsUpdate(outside)),
      });
      expect(write).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
      expect(await stored(m.mediator)).not.toContain('MKOUTSIDEWRITE');

      // Moved back: a sync catches up on what they missed, and updates reach them live again.
      await m.place(m.a2, m.caucusA);
      const refusedBefore = editors.a2.refused.length;
      await editors.a2.syncNow();
      expect(editors.a2.refused.length).toBe(refusedBefore);
      expect(editors.a2.text.toString()).toContain('MKAFTERMOVE');
      editors.a1.text.insert(editors.a1.text.length, 'Welcome back MKBACKAGAIN. ');
      await editors.a1.settled();
      await member.waitFor('draft.update', (p) => carries(p, 'MKBACKAGAIN'));
      expect(editors.a2.text.toString()).toBe(editors.a1.text.toString());
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The agreement permission table, written from PRODUCT.md (not read off the code).

const ACTORS = ['leadMediator', 'coMediator', 'partyAHead', 'partyAMember', 'partyBHead', 'partyBMember', 'observer'] as const;
type Actor = (typeof ACTORS)[number];
type Outcome = 'allow' | ErrorCode;

const AGREEMENT_ACTIONS = [
  'editText',
  'proposePrivate',
  'proposeTabled',
  'respondTabled',
  'adopt',
  'withdrawOtherParty',
  'supportOption',
  'markClause',
  'finalise',
  'signOff',
  'readProposals',
  'readHistory',
  'draftMediators',
  'draftOwnParty',
  'draftOtherParty',
] as const;
type AgreementAction = (typeof AGREEMENT_ACTIONS)[number];

/** One row: what mediators, party members (heads and members alike) and the observer get. */
const row = (
  mediators: Outcome,
  parties: Outcome,
  observer: Outcome,
  except: Partial<Record<Actor, Outcome>> = {},
): Record<Actor, Outcome> => ({
  leadMediator: mediators,
  coMediator: mediators,
  partyAHead: parties,
  partyAMember: parties,
  partyBHead: parties,
  partyBMember: parties,
  observer,
  ...except,
});

/**
 * Role × action → outcome. "Own party" for those without one (mediators, observer) is party A's
 * draft, "other party" party B's; "withdraw other party's" is a proposal tabled by the party the
 * actor is not in (party A's for mediators and the observer).
 */
const AGREEMENT_TABLE: Record<AgreementAction, Record<Actor, Outcome>> = {
  editText: row('allow', 'MEDIATOR_ONLY', 'OBSERVER_READ_ONLY'),
  proposePrivate: row('VALIDATION_FAILED', 'allow', 'OBSERVER_READ_ONLY'),
  proposeTabled: row('allow', 'allow', 'OBSERVER_READ_ONLY'),
  respondTabled: row('PARTY_MEMBER_ONLY', 'allow', 'OBSERVER_READ_ONLY'),
  adopt: row('allow', 'MEDIATOR_ONLY', 'OBSERVER_READ_ONLY'),
  withdrawOtherParty: row('allow', 'PROPOSAL_NOT_YOURS', 'OBSERVER_READ_ONLY'),
  supportOption: row('PARTY_MEMBER_ONLY', 'allow', 'OBSERVER_READ_ONLY'),
  markClause: row('PARTY_MEMBER_ONLY', 'allow', 'OBSERVER_READ_ONLY'),
  finalise: row('allow', 'MEDIATOR_ONLY', 'OBSERVER_READ_ONLY'),
  signOff: row('PARTY_MEMBER_ONLY', 'allow', 'OBSERVER_READ_ONLY', {
    partyAMember: 'HEAD_OF_DELEGATION_ONLY',
    partyBMember: 'HEAD_OF_DELEGATION_ONLY',
  }),
  readProposals: row('allow', 'allow', 'OBSERVER_TABLED_ONLY'),
  readHistory: row('allow', 'allow', 'OBSERVER_TABLED_ONLY'),
  draftMediators: row('allow', 'DRAFT_FORBIDDEN', 'DRAFT_FORBIDDEN'),
  draftOwnParty: row('allow', 'allow', 'DRAFT_FORBIDDEN'),
  draftOtherParty: row('allow', 'DRAFT_FORBIDDEN', 'DRAFT_FORBIDDEN'),
};

/** The actions that also have a Socket.IO event. */
const SOCKET_EVENTS: Partial<Record<AgreementAction, string>> = {
  editText: 'agreement.edit',
  proposePrivate: 'agreement.propose',
  proposeTabled: 'agreement.propose',
  respondTabled: 'agreement.respond',
  markClause: 'agreement.mark',
  draftMediators: 'draft.sync',
  draftOwnParty: 'draft.sync',
  draftOtherParty: 'draft.sync',
};

describe('agreement permission table', () => {
  const accounts = {} as Record<Actor, Person>;
  const sockets = {} as Record<Actor, TestClient>;

  interface Cast {
    id: string;
    partyA: string;
    partyB: string;
    bracket: { clauseId: string; segmentId: string };
    clauseId: string;
  }
  let main: Cast; // drafting: the text has a plain clause and a bracketed one
  let readyShared: Cast; // every clause agreed: refused finalisations are tried here
  const readyOwn = {} as Partial<Record<Actor, Cast>>; // one per mediator allowed to finalise
  let final: Cast & { sha256: string }; // finalised: sign-offs

  const http = (who: Actor, sessionId: string) => ({
    get: (path: string) => app.http().get(`/api/sessions/${sessionId}${path}`).set(bearer(accounts[who])),
    post: (path: string, body: object = {}) => app.http().post(`/api/sessions/${sessionId}${path}`).set(bearer(accounts[who])).send(body),
  });
  const outcomeOf = (res: { status: number; body: any }): Outcome => (res.status < 300 ? 'allow' : res.body.code);
  const ackOutcome = (ack: Ack<unknown>): Outcome => (ack.ok ? 'allow' : ack.error.code);

  /** A session with the whole cast: delegations in their caucuses, the observer in the plenary. */
  async function castSession(title: string, state: 'drafting' | 'ready' = 'drafting'): Promise<Cast> {
    const lead = accounts.leadMediator;
    const view = (
      await app
        .http()
        .post('/api/sessions')
        .set(bearer(lead))
        .send({ title, parties: ['Party A', 'Party B'] })
        .expect(201)
    ).body as SessionView;
    const [pa, pb] = view.parties;
    const as = http('leadMediator', view.id);
    const pid = {} as Record<Actor, string>;
    const invite = async (actor: Actor, body: object) => {
      const inv = await as.post('/invitations', body).expect(201);
      pid[actor] = (
        await app.http().post(`/api/invitations/${inv.body.token}/accept`).set(bearer(accounts[actor])).send({}).expect(201)
      ).body.participant.id;
    };
    await invite('coMediator', { role: 'co_mediator' });
    await invite('partyAHead', { role: 'party_member', partyId: pa.id, isHead: true });
    await invite('partyAMember', { role: 'party_member', partyId: pa.id });
    await invite('partyBHead', { role: 'party_member', partyId: pb.id, isHead: true });
    await invite('partyBMember', { role: 'party_member', partyId: pb.id });
    await invite('observer', { role: 'observer' });
    await as.post('/status', { status: 'open' }).expect(200);
    const plenary = view.rooms.find((r) => r.kind === 'plenary')!.id;
    const place = (actor: Actor, roomId: string) => as.post(`/participants/${pid[actor]}/move`, { roomId }).expect(200);
    await place('partyAHead', pa.caucusRoomId!);
    await place('partyAMember', pa.caucusRoomId!);
    await place('partyBHead', pb.caucusRoomId!);
    await place('partyBMember', pb.caucusRoomId!);
    await place('observer', plenary);
    await place('coMediator', plenary);

    const plain = (
      await as
        .post('/agreement/changes', { change: { kind: 'insert', afterClauseId: null, wording: { text: 'The parties meet monthly.' } } })
        .expect(201)
    ).body;
    const cast: Cast = { id: view.id, partyA: pa.id, partyB: pb.id, clauseId: plain.clauseId, bracket: { clauseId: '', segmentId: '' } };
    if (state === 'ready') {
      for (const level of ['ad_referendum', 'agreed']) {
        for (const head of ['partyAHead', 'partyBHead'] as const) {
          await http(head, view.id).post(`/agreement/clauses/${plain.clauseId}/mark`, { baseVersion: 1, level }).expect(200);
        }
      }
      return cast;
    }
    const br = (
      await as
        .post('/agreement/changes', {
          change: {
            kind: 'insert',
            afterClauseId: plain.clauseId,
            wording: { text: 'Meetings are held in {{1}}.', segments: [{ options: [{ text: 'Geneva' }, { text: 'Vienna' }] }] },
          },
        })
        .expect(201)
    ).body as AgreementView & { clauseId: string };
    cast.bracket = { clauseId: br.clauseId, segmentId: br.clauses.find((c) => c.id === br.clauseId)!.segments[0].id };
    return cast;
  }

  beforeAll(async () => {
    for (const actor of ACTORS) accounts[actor] = await register(app, `Table ${actor}`);
    main = await castSession('Permission table');
    readyShared = await castSession('Ready, for refused finalisations', 'ready');
    for (const actor of ACTORS)
      if (AGREEMENT_TABLE.finalise[actor] === 'allow') readyOwn[actor] = await castSession(`Ready, for ${actor}`, 'ready');
    const f = await castSession('Final, for sign-offs', 'ready');
    const sha256 = (await http('leadMediator', f.id).post('/agreement/finalise').expect(200)).body.finalSha256 as string;
    final = { ...f, sha256 };
    for (const actor of ACTORS) {
      sockets[actor] = await TestClient.connect(app.url, accounts[actor].token);
      await sockets[actor].join(main.id);
    }
  });
  afterAll(() => {
    Object.values(sockets).forEach((s) => s.close());
  });

  /** What a refusal must leave as it was: the text, the proposals and the drafts, as the lead mediator sees them. */
  async function fingerprint(sessionId: string): Promise<string> {
    const as = http('leadMediator', sessionId);
    const parts = await Promise.all(['/agreement', '/agreement/proposals', '/drafts/mediators'].map((p) => as.get(p)));
    const { partyA, partyB } = [main, readyShared, final, ...Object.values(readyOwn)].find((c) => c.id === sessionId)!;
    parts.push(await as.get(`/drafts/parties/${partyA}`), await as.get(`/drafts/parties/${partyB}`));
    return parts.map((r) => r.text).join('\n');
  }

  const partyOf = (actor: Actor): 'A' | 'B' | null => (actor.startsWith('partyA') ? 'A' : actor.startsWith('partyB') ? 'B' : null);
  const insert = (text: string) => ({ kind: 'insert', afterClauseId: null, wording: { text } });
  const tabledBy = async (who: Actor, text: string) =>
    (
      await http(who, main.id)
        .post('/agreement/proposals', { visibility: 'tabled', change: insert(text) })
        .expect(201)
    ).body.id as string;
  const draftUpdate = (actor: Actor) => {
    const doc = new Y.Doc();
    doc.getText('clause').insert(0, `${actor} was here. `);
    return syncMessage(sync.messageYjsUpdate, Y.encodeStateAsUpdate(doc));
  };

  /** Runs one action as one actor; returns the outcome and the session a refusal must have left unchanged. */
  async function act(
    action: AgreementAction,
    actor: Actor,
    transport: 'http' | 'socket',
  ): Promise<{ outcome: Outcome; sessionId: string; before: string | null }> {
    const expected = AGREEMENT_TABLE[action][actor];
    let sessionId = main.id;
    if (action === 'finalise') sessionId = expected === 'allow' ? readyOwn[actor]!.id : readyShared.id;
    if (action === 'signOff') sessionId = final.id;
    const as = http(actor, sessionId);
    const socket = sockets[actor];
    const own = partyOf(actor) === 'B' ? main.partyB : main.partyA;
    const other = own === main.partyA ? main.partyB : main.partyA;

    // Per-case fixtures: a fresh proposal where the action needs one.
    let proposalId = '';
    if (action === 'respondTabled' || action === 'adopt')
      proposalId = await tabledBy('leadMediator', `Tabled for ${actor} (${action}, ${transport}).`);
    if (action === 'withdrawOtherParty')
      proposalId = await tabledBy(partyOf(actor) === 'A' ? 'partyBHead' : 'partyAHead', `Tabled by the other party for ${actor}.`);
    const before = expected === 'allow' ? null : await fingerprint(sessionId);

    const viaSocket = async (payload: unknown) => ackOutcome(await socket.ask(SOCKET_EVENTS[action]!, payload));
    const send = async (res: PromiseLike<{ status: number; body: any }>) => outcomeOf(await res);
    const draftParty = action === 'draftOwnParty' ? own : other;
    const draftScope = action === 'draftMediators' ? { kind: 'mediators' } : { kind: 'party', partyId: draftParty };
    const draftPath = action === 'draftMediators' ? '/drafts/mediators' : `/drafts/parties/${draftParty}`;
    let outcome: Outcome;
    switch (action) {
      case 'editText': {
        const change = insert(`Clause by ${actor} over ${transport}.`);
        outcome = transport === 'http' ? await send(as.post('/agreement/changes', { change })) : await viaSocket({ change });
        break;
      }
      case 'proposePrivate':
      case 'proposeTabled': {
        const body = {
          visibility: action === 'proposePrivate' ? 'private' : 'tabled',
          change: insert(`Proposal by ${actor} over ${transport}.`),
        };
        outcome = transport === 'http' ? await send(as.post('/agreement/proposals', body)) : await viaSocket(body);
        break;
      }
      case 'respondTabled':
        outcome =
          transport === 'http'
            ? await send(as.post(`/agreement/proposals/${proposalId}/responses`, { response: 'accept', comment: 'We can live with it.' }))
            : await viaSocket({ proposalId, response: 'reserve', comment: 'We need to consult.' });
        break;
      case 'adopt':
        outcome = await send(as.post(`/agreement/proposals/${proposalId}/adopt`));
        break;
      case 'withdrawOtherParty':
        outcome = await send(as.post(`/agreement/proposals/${proposalId}/withdraw`));
        break;
      case 'supportOption':
        outcome = await send(
          as.post(`/agreement/clauses/${main.bracket.clauseId}/segments/${main.bracket.segmentId}/support`, {
            baseVersion: 1,
            optionId: 'A',
          }),
        );
        break;
      case 'markClause':
        outcome =
          transport === 'http'
            ? await send(as.post(`/agreement/clauses/${main.clauseId}/mark`, { baseVersion: 1, level: 'ad_referendum' }))
            : await viaSocket({ clauseId: main.clauseId, baseVersion: 1, level: 'ad_referendum' });
        break;
      case 'finalise':
        outcome = await send(as.post('/agreement/finalise'));
        break;
      case 'signOff':
        outcome = await send(as.post('/agreement/sign-off', { sha256: final.sha256, password: accounts[actor].password }));
        break;
      case 'readProposals':
        outcome = await send(as.get('/agreement/proposals'));
        break;
      case 'readHistory':
        outcome = await send(as.get('/agreement/history'));
        break;
      case 'draftMediators':
      case 'draftOwnParty':
      case 'draftOtherParty':
        // Over HTTP: read the draft; over Socket.IO: write to it.
        outcome =
          transport === 'http' ? await send(as.get(draftPath)) : await viaSocket({ draft: draftScope, message: draftUpdate(actor) });
        break;
    }
    return { outcome, sessionId, before };
  }

  describe.each(['http', 'socket'] as const)('over %s', (transport) => {
    describe.each(ACTORS)('%s', (actor) => {
      const actions = AGREEMENT_ACTIONS.filter((a) => transport === 'http' || SOCKET_EVENTS[a]);
      it.each(actions)('%s', async (action) => {
        const expected = AGREEMENT_TABLE[action][actor];
        const { outcome, sessionId, before } = await act(action, actor, transport);
        expect(outcome).toBe(expected);
        // A refusal changes nothing (rule 7).
        if (before !== null) expect(await fingerprint(sessionId)).toBe(before);
      });
    });
  });
});
