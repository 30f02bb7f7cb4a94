import { createHash } from 'node:crypto';
import type { AgreementView, ProposalView } from '@parley/contracts';
import { useMediation } from './support/mediation';
import type { Person } from './support/people';

/**
 * A negotiation from the first draft to a signed agreement, two parties, over HTTP and Socket.IO
 * with a real database: brackets resolved by choosing an option, a proposal rejected, a
 * counter-proposal adopted, a stale edit refused with 409, every clause agreed ad referendum then
 * agreed, finalised, signed off by both heads, exported — and every step in the audit chain.
 */
describe('negotiating text: from first draft to signed agreement', () => {
  const { m } = useMediation();
  const change = (who: Person, body: object) => m().post(who, '/agreement/changes', { change: body });
  const text = async (who: Person): Promise<AgreementView> => (await m().get(who, '/agreement').expect(200)).body;
  const clause = (v: AgreementView, n: number) => v.clauses[n - 1];
  let ceasefire: string;
  let withdrawal: string;
  let elections: string;
  let segment: string;
  let rejected: ProposalView;
  let counter: ProposalView;

  it('the mediator drafts clauses with headings, a bracket and alternatives; numbering follows order', async () => {
    const { mediator, partyA, partyB } = m();
    const c1 = await change(mediator, {
      kind: 'insert',
      heading: 'Security',
      wording: { text: 'The parties observe a ceasefire.' },
    }).expect(201);
    ceasefire = c1.body.clauseId;
    const c2 = await change(mediator, {
      kind: 'insert',
      afterClauseId: ceasefire,
      wording: {
        text: 'Forces withdraw within {{1}} days.',
        segments: [
          {
            options: [
              { text: '30', supportedBy: [partyA] },
              { text: '90', supportedBy: [partyB] },
            ],
          },
        ],
      },
    }).expect(201);
    withdrawal = c2.body.clauseId;
    const c3 = await change(mediator, {
      kind: 'insert',
      afterClauseId: withdrawal,
      heading: 'Politics',
      wording: { text: 'Elections are held {{1}}.', segments: [{ options: [{ text: 'within one year' }] }] },
    }).expect(201);
    elections = c3.body.clauseId;
    const v: AgreementView = c3.body;
    expect(v.clauses.map((c) => [c.number, c.id, c.state])).toEqual([
      [1, ceasefire, 'open'],
      [2, withdrawal, 'bracketed'],
      [3, elections, 'bracketed'],
    ]);
    expect(clause(v, 2).rendered).toBe('Forces withdraw within [A: 30 | B: 90] days.');
    expect(clause(v, 3).rendered).toBe('Elections are held [within one year].');
    segment = clause(v, 2).segments[0].id;
    expect(clause(v, 2).segments[0].options.map((o) => o.supportedBy)).toEqual([[partyA], [partyB]]);

    // Inserting first renumbers; deleting renumbers back.
    const pre = await change(mediator, { kind: 'insert', afterClauseId: null, wording: { text: 'Preamble.' } }).expect(201);
    expect(pre.body.clauses.map((c: any) => c.number + ':' + c.id)).toEqual([
      `1:${pre.body.clauseId}`,
      `2:${ceasefire}`,
      `3:${withdrawal}`,
      `4:${elections}`,
    ]);
    // A delete takes the mediator's password again (test/delete-reauth.e2e-spec.ts).
    const del = await m()
      .post(mediator, '/agreement/changes', {
        change: { kind: 'delete', clauseId: pre.body.clauseId, baseVersion: 1 },
        password: mediator.password,
      })
      .expect(201);
    expect(del.body.clauses.map((c: any) => c.id)).toEqual([ceasefire, withdrawal, elections]);
    expect(del.body.clauses.map((c: any) => c.number)).toEqual([1, 2, 3]);
  });

  it('delegations and observers receive the text live; observers without marks or support', async () => {
    const { a1, b2, observer, client } = m();
    const last = (p: Person) =>
      client(p).waitFor('agreement.text', (v: AgreementView) => v.clauses.length === 3 && v.clauses[0].id === ceasefire);
    expect((await last(a1)).clauses[1].segments[0].options[0].supportedBy).toHaveLength(1);
    await last(b2);
    const seen: AgreementView = await last(observer);
    expect(seen.clauses[1].segments[0].options.every((o) => o.supportedBy.length === 0)).toBe(true);
    expect((await text(observer)).clauses.map((c) => c.rendered)).toEqual([
      'The parties observe a ceasefire.',
      'Forces withdraw within [A: 30 | B: 90] days.',
      'Elections are held [within one year].',
    ]);
  });

  it('a party may not change the text directly, and a bracketed clause cannot be agreed', async () => {
    const { a1, b1, observer, partyA, partyB } = m();
    const moved = await m()
      .post(b1, `/agreement/clauses/${withdrawal}/segments/${segment}/support`, { baseVersion: 1, optionId: 'A' })
      .expect(200);
    expect(clause(moved.body, 2).segments[0].options.map((o: any) => o.supportedBy)).toEqual([[partyA, partyB], []]);
    const back = await m()
      .post(b1, `/agreement/clauses/${withdrawal}/segments/${segment}/support`, { baseVersion: 1, optionId: 'B' })
      .expect(200);
    expect(clause(back.body, 2).segments[0].options.map((o: any) => o.supportedBy)).toEqual([[partyA], [partyB]]);
    // Support withdrawn (optionId null), once: a second withdrawal has nothing to withdraw; no optionId at all is bad input.
    const supportUrl = `/agreement/clauses/${withdrawal}/segments/${segment}/support`;
    const withdrawn = await m().post(b1, supportUrl, { baseVersion: 1, optionId: null }).expect(200);
    expect(clause(withdrawn.body, 2).segments[0].options.map((o: any) => o.supportedBy)).toEqual([[partyA], []]);
    expect((await m().post(b1, supportUrl, { baseVersion: 1, optionId: null }).expect(409)).body).toMatchObject({
      code: 'OPTION_NOT_SUPPORTED',
      field: 'optionId',
    });
    expect((await m().post(b1, supportUrl, { baseVersion: 1 }).expect(400)).body).toMatchObject({ field: 'optionId' });
    await m().post(b1, supportUrl, { baseVersion: 1, optionId: 'B' }).expect(200);
    expect(
      (
        await m()
          .post(observer, `/agreement/clauses/${withdrawal}/segments/${segment}/support`, { baseVersion: 1, optionId: 'A' })
          .expect(403)
      ).body.code,
    ).toBe('OBSERVER_READ_ONLY');
    expect((await change(a1, { kind: 'replace', clauseId: ceasefire, baseVersion: 1, wording: { text: 'x' } }).expect(403)).body.code).toBe(
      'MEDIATOR_ONLY',
    );
    expect(
      (await change(observer, { kind: 'replace', clauseId: ceasefire, baseVersion: 1, wording: { text: 'x' } }).expect(403)).body.code,
    ).toBe('OBSERVER_READ_ONLY');
    const r = await m().post(a1, `/agreement/clauses/${withdrawal}/mark`, { baseVersion: 1, level: 'ad_referendum' }).expect(409);
    expect(r.body).toMatchObject({ code: 'CLAUSE_BRACKETED', field: 'clauseId' });
  });

  it('a private proposal reaches its delegation and the mediators only', async () => {
    const { a2, b1, mediator, observer, client } = m();
    const res = await m()
      .post(a2, '/agreement/proposals', {
        visibility: 'private',
        rationale: 'Our principals need this',
        change: {
          kind: 'replace',
          clauseId: ceasefire,
          baseVersion: 1,
          wording: { text: 'The parties observe an immediate and complete ceasefire.' },
        },
      })
      .expect(201);
    const p: ProposalView = res.body;
    expect(p).toMatchObject({ visibility: 'private', status: 'open', origin: { kind: 'party', partyId: m().partyA } });
    await client(mediator).waitFor('agreement.proposal', (x: ProposalView) => x.id === p.id);
    await client(m().a1).waitFor('agreement.proposal', (x: ProposalView) => x.id === p.id);
    expect((await m().get(b1, `/agreement/proposals/${p.id}`).expect(404)).body.code).toBe('PROPOSAL_NOT_FOUND');
    expect((await m().get(b1, '/agreement/proposals').expect(200)).body.map((x: ProposalView) => x.id)).not.toContain(p.id);
    expect((await m().get(observer, '/agreement/proposals').expect(403)).body.code).toBe('OBSERVER_TABLED_ONLY');
    await client(b1).sync();
    expect(client(b1).mentioning(p.id)).toEqual([]);
    // A tabled proposal only is answered by the parties.
    expect((await m().post(b1, `/agreement/proposals/${p.id}/responses`, { response: 'accept' }).expect(404)).body.code).toBe(
      'PROPOSAL_NOT_FOUND',
    );
    await m().post(a2, `/agreement/proposals/${p.id}/withdraw`).expect(200);
  });

  it('a tabled proposal is rejected by one party; its counter-proposal is accepted and adopted', async () => {
    const { a1, b1, b2, mediator, partyA, partyB, client } = m();
    const tabled = {
      visibility: 'tabled',
      clientProposalId: 'proposal-north-1',
      change: { kind: 'resolve_option', clauseId: withdrawal, baseVersion: 1, segmentId: segment, optionId: 'A' },
    };
    rejected = (await m().post(a1, '/agreement/proposals', tabled).expect(201)).body;
    // A retry (the answer was lost) is not a second proposal.
    expect((await m().post(a1, '/agreement/proposals', tabled).expect(201)).body.id).toBe(rejected.id);
    expect(
      (await m().get(b1, '/agreement/proposals').expect(200)).body.filter((x: ProposalView) => x.change.kind === 'resolve_option'),
    ).toHaveLength(1);
    await client(b2).waitFor('agreement.proposal', (x: ProposalView) => x.id === rejected.id);
    // Responses go over Socket.IO too.
    const ack = await client(b1).ask('agreement.respond', {
      proposalId: rejected.id,
      response: 'reject',
      comment: 'Thirty days is not feasible',
    });
    expect(ack).toMatchObject({
      ok: true,
      data: { responses: [{ partyId: partyB, response: 'reject', comment: 'Thirty days is not feasible' }] },
    });
    await m().post(a1, `/agreement/proposals/${rejected.id}/responses`, { response: 'accept' }).expect(200);

    const proposed = await client(b1).ask<ProposalView>('agreement.propose', {
      visibility: 'tabled',
      counterTo: rejected.id,
      rationale: 'A middle way',
      change: { kind: 'resolve_option', clauseId: withdrawal, baseVersion: 1, segmentId: segment, text: '60' },
    });
    expect(proposed.ok).toBe(true);
    counter = (proposed as { ok: true; data: ProposalView }).data;
    expect(counter.counterTo).toBe(rejected.id);
    await m().post(a1, `/agreement/proposals/${counter.id}/responses`, { response: 'accept', comment: 'Agreed' }).expect(200);
    await m().post(b2, `/agreement/proposals/${counter.id}/responses`, { response: 'accept' }).expect(200);

    const adopted = await m().post(mediator, `/agreement/proposals/${counter.id}/adopt`).expect(200);
    expect(adopted.body).toMatchObject({ status: 'adopted', adopted: { clauseId: withdrawal, version: 2 } });
    const v = await text(a1);
    expect(clause(v, 2)).toMatchObject({ rendered: 'Forces withdraw within 60 days.', version: 2, state: 'open', segments: [] });
    expect(v.clauses.map((c) => c.number)).toEqual([1, 2, 3]);
    void partyA;

    // The rejected proposal was based on version 1: adopting it now is refused, with the current version.
    const stale = await m().post(mediator, `/agreement/proposals/${rejected.id}/adopt`).expect(409);
    expect(stale.body).toMatchObject({
      code: 'CLAUSE_VERSION_CONFLICT',
      field: 'baseVersion',
      details: { clauseId: withdrawal, currentVersion: 2 },
    });
    expect((await m().post(mediator, `/agreement/proposals/${rejected.id}/withdraw`).expect(200)).body.status).toBe('withdrawn');
    expect((await m().post(mediator, `/agreement/proposals/${rejected.id}/adopt`).expect(409)).body.code).toBe('PROPOSAL_NOT_OPEN');
  });

  it('a stale edit is refused with 409 and the current version; nothing is overwritten', async () => {
    const { mediator, client } = m();
    const first = await client(mediator).ask('agreement.edit', {
      change: { kind: 'replace', clauseId: ceasefire, baseVersion: 1, wording: { text: 'The parties observe a complete ceasefire.' } },
    });
    expect(first).toMatchObject({ ok: true, data: { clauseId: ceasefire, version: 2 } });
    const second = await change(mediator, {
      kind: 'replace',
      clauseId: ceasefire,
      baseVersion: 1,
      wording: { text: 'Overwritten?' },
    }).expect(409);
    expect(second.body).toMatchObject({
      statusCode: 409,
      code: 'CLAUSE_VERSION_CONFLICT',
      details: { clauseId: ceasefire, currentVersion: 2 },
    });
    expect(clause(await text(mediator), 1)).toMatchObject({ version: 2, rendered: 'The parties observe a complete ceasefire.' });
  });

  it('the mediator cleans the last bracket by choosing its option', async () => {
    const { mediator } = m();
    const seg = clause(await text(mediator), 3).segments[0].id;
    const r = await change(mediator, { kind: 'resolve_option', clauseId: elections, baseVersion: 1, segmentId: seg, optionId: 'A' }).expect(
      201,
    );
    expect(clause(r.body, 3)).toMatchObject({ rendered: 'Elections are held within one year.', version: 2, state: 'open' });
  });

  it('each party agrees each clause ad referendum, then agreed; nothing is final before everything is agreed', async () => {
    const { a1, a2, b1, b2, mediator, client } = m();
    const v = await text(a1);
    expect((await m().post(a1, `/agreement/clauses/${ceasefire}/mark`, { baseVersion: 2, level: 'agreed' }).expect(409)).body.code).toBe(
      'AD_REFERENDUM_FIRST',
    );
    expect(
      (await m().post(a1, `/agreement/clauses/${ceasefire}/mark`, { baseVersion: 1, level: 'ad_referendum' }).expect(409)).body.code,
    ).toBe('CLAUSE_VERSION_CONFLICT');
    for (const c of v.clauses) {
      await m().post(a1, `/agreement/clauses/${c.id}/mark`, { baseVersion: c.version, level: 'ad_referendum' }).expect(200);
      const ack = await client(b2).ask('agreement.mark', { clauseId: c.id, baseVersion: c.version, level: 'ad_referendum' });
      expect(ack.ok).toBe(true);
    }
    expect((await text(mediator)).clauses.map((c) => c.state)).toEqual([
      'agreed_ad_referendum',
      'agreed_ad_referendum',
      'agreed_ad_referendum',
    ]);
    for (const c of v.clauses) {
      await m().post(a2, `/agreement/clauses/${c.id}/mark`, { baseVersion: c.version, level: 'agreed' }).expect(200);
      if (c.id !== elections)
        await m().post(b1, `/agreement/clauses/${c.id}/mark`, { baseVersion: c.version, level: 'agreed' }).expect(200);
    }
    const early = await m().post(mediator, '/agreement/finalise').expect(409);
    expect(early.body).toMatchObject({ code: 'AGREEMENT_NOT_READY', details: { pendingClauses: 1 } });
    await m().post(b1, `/agreement/clauses/${elections}/mark`, { baseVersion: 2, level: 'agreed' }).expect(200);
    expect((await text(mediator)).clauses.every((c) => c.state === 'agreed')).toBe(true);
  });

  let sha: string;
  it('the mediator finalises: the canonical text gets a SHA-256 and the text is frozen', async () => {
    const { mediator, a1, observer, client } = m();
    expect((await m().post(a1, '/agreement/finalise').expect(403)).body.code).toBe('MEDIATOR_ONLY');
    const f = await m().post(mediator, '/agreement/finalise').expect(200);
    sha = f.body.finalSha256;
    expect(f.body.status).toBe('final');
    const canonical = (await m().get(observer, '/agreement/export?format=json').expect(200)).text;
    expect(createHash('sha256').update(canonical, 'utf8').digest('hex')).toBe(sha);
    expect(JSON.parse(canonical).clauses).toEqual([
      { number: 1, heading: 'Security', text: 'The parties observe a complete ceasefire.' },
      { number: 2, heading: null, text: 'Forces withdraw within 60 days.' },
      { number: 3, heading: 'Politics', text: 'Elections are held within one year.' },
    ]);
    await client(observer).waitFor('agreement.text', (v: AgreementView) => v.status === 'final' && v.finalSha256 === sha);
    const late = await change(mediator, { kind: 'replace', clauseId: ceasefire, baseVersion: 2, wording: { text: 'Too late' } }).expect(
      409,
    );
    expect(late.body.code).toBe('AGREEMENT_FINAL');
  });

  it('each head of delegation signs off that hash; then the signed text exports with its hash and sign-offs', async () => {
    const { a1, a2, b1, partyA, partyB } = m();
    expect((await m().post(a2, '/agreement/sign-off', { sha256: sha, password: a2.password }).expect(403)).body.code).toBe(
      'HEAD_OF_DELEGATION_ONLY',
    );
    expect(
      (
        await m()
          .post(a1, '/agreement/sign-off', { sha256: '0'.repeat(64), password: a1.password })
          .expect(409)
      ).body.code,
    ).toBe('SIGNOFF_HASH_MISMATCH');
    expect((await m().post(a1, '/agreement/sign-off', { sha256: sha, password: a1.password }).expect(200)).body.status).toBe('final');
    expect((await m().post(a1, '/agreement/sign-off', { sha256: sha, password: a1.password }).expect(409)).body.code).toBe(
      'ALREADY_SIGNED',
    );
    const done = await m().post(b1, '/agreement/sign-off', { sha256: sha.toUpperCase(), password: b1.password }).expect(200);
    expect(done.body.status).toBe('signed');
    expect(done.body.signOffs.map((s: any) => [s.partyId, s.signedBy, s.sha256])).toEqual([
      [partyA, 'Ana North', sha],
      [partyB, 'Bea South', sha],
    ]);

    const md = await m().get(m().observer, '/agreement/export?format=markdown').expect(200);
    expect(md.headers['content-type']).toMatch(/text\/markdown/);
    expect(md.text).toContain(sha);
    expect(md.text).toMatch(
      /\*\*1\.\*\* The parties observe a complete ceasefire\.[\s\S]*\*\*2\.\*\* Forces withdraw within 60 days\.[\s\S]*\*\*3\.\*\* Elections/,
    );
    expect(md.text).toContain('North: signed by Ana North');
    expect(md.text).toContain('South: signed by Bea South');
    const html = await m().get(a1, '/agreement/export?format=html').expect(200);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.text).toContain(`<code>${sha}</code>`);
    expect(html.text).toContain('<h2>Security</h2>');
  });

  it('keeps every version with who, when and from which proposal, and redlines any two', async () => {
    const { mediator, b1 } = m();
    const h = (await m().get(mediator, `/agreement/history?clauseId=${withdrawal}`).expect(200)).body;
    expect(h.versions.map((v: any) => [v.version, v.changeKind, v.proposalId, v.authorParticipantId])).toEqual([
      [1, 'created', null, mediator.participantId],
      [2, 'resolved', counter.id, mediator.participantId],
    ]);
    const all = (await m().get(b1, '/agreement/history').expect(200)).body.versions;
    expect(all.filter((v: any) => v.changeKind === 'deleted')).toHaveLength(1);
    const red = (await m().get(b1, `/agreement/clauses/${withdrawal}/redline?from=1&to=2`).expect(200)).body;
    expect(
      red.diff
        .filter((d: any) => d.op === 'delete')
        .map((d: any) => d.text)
        .join(''),
    ).toContain('[A: 30 | B: 90]');
    expect(
      red.diff
        .filter((d: any) => d.op === 'insert')
        .map((d: any) => d.text)
        .join(''),
    ).toContain('60');
    expect((await m().get(b1, `/agreement/clauses/${withdrawal}/redline?from=1&to=9`).expect(404)).body).toMatchObject({
      code: 'VERSION_NOT_FOUND',
      field: 'to',
    });
  });

  it('entered every step in the audit chain, which verifies', async () => {
    const res = await m().get(m().mediator, '/audit').expect(200);
    expect(res.body.verification.valid).toBe(true);
    const types: string[] = res.body.entries.map((e: any) => e.type);
    for (const t of [
      'agreement.clause.versioned',
      'agreement.option.supported',
      'agreement.proposal.made',
      'agreement.proposal.responded',
      'agreement.proposal.adopted',
      'agreement.proposal.withdrawn',
      'agreement.clause.marked',
      'agreement.finalised',
      'agreement.signed_off',
    ]) {
      expect(types).toContain(t);
    }
    expect(types.filter((t) => t === 'agreement.signed_off')).toHaveLength(2);
    expect(res.body.entries.filter((e: any) => e.type === 'agreement.proposal.made' && e.payload.proposalId === rejected.id)).toHaveLength(
      1,
    );
    expect(res.body.entries.find((e: any) => e.type === 'agreement.finalised').payload.sha256).toBe(sha);
  });
});
