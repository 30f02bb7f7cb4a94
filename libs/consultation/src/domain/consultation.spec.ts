import { CONSULTATION_LIMITS, type StatementResult } from '@parley/contracts';
import { DomainError } from '@parley/platform/domain';
import {
  assertGroupNames,
  assertMayVote,
  assertMayWrite,
  assertOpenForRespondents,
  assertSchedule,
  codeHash,
  moderate,
  newCode,
  newLink,
  normaliseCode,
  statementText,
  statusAt,
  type Consultation,
  type Statement,
} from './consultation';
import { buildSummary, canonicalSha256 } from './summary';

const T0 = new Date('2026-12-01T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const consultation = (over: Partial<Consultation> = {}): Consultation => ({
  id: 'c1',
  sessionId: 's1',
  title: 'T',
  prompt: 'P',
  opensAt: at(0),
  closesAt: at(60),
  closedAt: null,
  requireCode: false,
  ...over,
});
const statement = (over: Partial<Statement> = {}): Statement => ({
  id: 's1',
  consultationId: 'c1',
  groupId: 'g1',
  respondentId: 'r1',
  number: 1,
  text: 'A point',
  status: 'pending',
  reason: null,
  mergedInto: null,
  ...over,
});
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof DomainError ? e.code : 'not a DomainError';
  }
};

describe('statusAt', () => {
  it.each([
    [-1, null, 'scheduled'],
    [0, null, 'open'],
    [59, null, 'open'],
    [60, null, 'closed'],
    [10, at(5), 'closed'],
  ] as const)('at minute %d (closed by the mediators at %s): %s', (minute, closedAt, expected) => {
    expect(statusAt(consultation({ closedAt }), at(minute))).toBe(expected);
  });

  it('respondents are refused before and after, with codes of their own', () => {
    expect(codeOf(() => assertOpenForRespondents(consultation(), at(-1)))).toBe('CONSULTATION_NOT_OPEN');
    expect(codeOf(() => assertOpenForRespondents(consultation(), at(60)))).toBe('CONSULTATION_CLOSED');
    expect(codeOf(() => assertOpenForRespondents(consultation(), at(1)))).toBeUndefined();
  });
});

describe('the mediators’ settings', () => {
  it('closing comes after opening and after now', () => {
    expect(codeOf(() => assertSchedule(at(10), at(10), at(0)))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => assertSchedule(at(-20), at(-10), at(0)))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => assertSchedule(at(0), at(1), at(0)))).toBeUndefined();
  });

  it('group names are told apart whatever their case and spaces, and none is empty', () => {
    expect(codeOf(() => assertGroupNames(['Youth', 'Women']))).toBeUndefined();
    expect(codeOf(() => assertGroupNames(['Youth', ' YOUTH ']))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => assertGroupNames(['  ']))).toBe('VALIDATION_FAILED');
  });
});

describe('statements', () => {
  it('are trimmed and capped in characters, not bytes', () => {
    expect(statementText('  a point  ')).toBe('a point');
    expect(statementText('ب'.repeat(CONSULTATION_LIMITS.statementMaxLength))).toHaveLength(CONSULTATION_LIMITS.statementMaxLength);
    expect(codeOf(() => statementText('x'.repeat(CONSULTATION_LIMITS.statementMaxLength + 1)))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => statementText(' \n '))).toBe('VALIDATION_FAILED');
  });

  it('a respondent writes up to the cap', () => {
    expect(codeOf(() => assertMayWrite(CONSULTATION_LIMITS.statementsPerRespondent - 1))).toBeUndefined();
    expect(codeOf(() => assertMayWrite(CONSULTATION_LIMITS.statementsPerRespondent))).toBe('STATEMENT_LIMIT_REACHED');
  });
});

describe('moderate', () => {
  it('approves, rejects with a reason, merges into another approved statement', () => {
    expect(moderate(statement(), { decision: 'approve' }, null).status).toBe('approved');
    expect(moderate(statement(), { decision: 'reject', reason: 'abusive' }, null)).toMatchObject({ status: 'rejected', reason: 'abusive' });
    const target = statement({ id: 's2', status: 'approved' });
    expect(moderate(statement(), { decision: 'merge', into: 's2' }, target)).toMatchObject({ status: 'merged', mergedInto: 's2' });
  });

  it.each([
    ['a decided statement', statement({ status: 'approved' }), { decision: 'approve' as const }, null, 'STATEMENT_ALREADY_MODERATED'],
    ['a rejection without a reason', statement(), { decision: 'reject' as const }, null, 'VALIDATION_FAILED'],
    ['a merge without a target', statement(), { decision: 'merge' as const }, null, 'VALIDATION_FAILED'],
    [
      'a merge into a pending one',
      statement(),
      { decision: 'merge' as const, into: 's2' },
      statement({ id: 's2' }),
      'MERGE_TARGET_INVALID',
    ],
    [
      'a merge into itself',
      statement({ id: 's2' }),
      { decision: 'merge' as const, into: 's2' },
      statement({ id: 's2', status: 'approved' }),
      'MERGE_TARGET_INVALID',
    ],
  ])('refuses %s', (_what, s, m, target, code) => {
    expect(codeOf(() => moderate(s, m, target))).toBe(code);
  });
});

describe('assertMayVote', () => {
  const approved = statement({ status: 'approved' });
  it.each([
    ['an unknown statement', null, 'r2', false, 'STATEMENT_NOT_FOUND'],
    ['a pending one (the same answer: nothing is learnt of it)', statement(), 'r2', false, 'STATEMENT_NOT_FOUND'],
    ['a rejected one', statement({ status: 'rejected' }), 'r2', false, 'STATEMENT_NOT_FOUND'],
    ['one’s own', approved, 'r1', false, 'VOTE_OWN_STATEMENT'],
    ['a second time', approved, 'r2', true, 'VOTE_ALREADY_CAST'],
    ['another’s approved statement, once', approved, 'r2', false, undefined],
  ])('%s', (_what, s, respondentId, voted, code) => {
    expect(codeOf(() => assertMayVote(s, respondentId, voted))).toBe(code);
  });
});

describe('codes', () => {
  it('are 80 random bits in groups of four, read back whatever the case, dashes and look-alike letters', () => {
    const code = newCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(normaliseCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code);
    expect(normaliseCode('oooo-iiii-llll-0000')).toBe('0000-1111-1111-0000');
    expect(normaliseCode('ABCD-EFGH')).toBeNull();
    expect(normaliseCode('UUUU-UUUU-UUUU-UUUU')).toBeNull();
    expect(new Set(Array.from({ length: 1000 }, newCode)).size).toBe(1000);
  });

  it('are kept as their sha256 only, and links are 22 URL-safe characters', () => {
    expect(codeHash('0000-1111-2222-3333')).toMatch(/^[0-9a-f]{64}$/);
    expect(codeHash('0000-1111-2222-3333')).not.toContain('0000');
    expect(newLink()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe('buildSummary', () => {
  const result = (id: string, text: string): StatementResult => ({
    statementId: id,
    number: 1,
    groupId: 'g1',
    text,
    total: { agree: 6, disagree: 1, pass: 0, n: 7 },
    groups: [
      { groupId: 'g1', agree: 5, disagree: 0, pass: 0, n: 5, agreeShare: 1, few: false },
      { groupId: 'g2', agree: 1, disagree: 1, pass: 0, n: 2, agreeShare: 0.5, few: true },
    ],
    consensus: false,
    divisive: false,
  });
  const results = {
    statements: [result('a', 'First'), result('b', 'Second')],
    groups: [
      { groupId: 'g1', name: 'Victims', respondents: 5, voters: 5 },
      { groupId: 'g2', name: 'Youth', respondents: 2, voters: 2 },
    ],
  };
  const header = { sessionId: 's', consultationId: 'c', consultationTitle: 'C', title: 'Summary', note: null };

  it('keeps the chosen statements in their order, with every group’s figures and counts, and no id', () => {
    const sut = buildSummary(results, ['b', 'a'], header);
    expect(sut.statements.map((s) => s.text)).toEqual(['Second', 'First']);
    expect(sut.statements[0].groups).toEqual([
      { name: 'Victims', agree: 5, disagree: 0, pass: 0, n: 5, few: false },
      { name: 'Youth', agree: 1, disagree: 1, pass: 0, n: 2, few: true },
    ]);
    expect(JSON.stringify(sut)).not.toMatch(/"(statementId|groupId)"/);
  });

  it('refuses what is not an approved statement of the results, and one chosen twice, naming its place', () => {
    expect(codeOf(() => buildSummary(results, ['a', 'zzz'], header))).toBe('SUMMARY_STATEMENT_INVALID');
    expect(codeOf(() => buildSummary(results, ['a', 'a'], header))).toBe('SUMMARY_STATEMENT_INVALID');
  });

  it('hashes its canonical form: key order does not change the hash, a figure does', () => {
    const sut = buildSummary(results, ['a'], header);
    const reordered = JSON.parse(JSON.stringify({ statements: sut.statements, ...header })) as typeof sut;
    expect(canonicalSha256(reordered)).toBe(canonicalSha256(sut));
    const changed = { ...sut, statements: [{ ...sut.statements[0], total: { ...sut.statements[0].total, agree: 7 } }] };
    expect(canonicalSha256(changed)).not.toBe(canonicalSha256(sut));
  });
});
