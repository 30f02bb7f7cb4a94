import type { GroupTally, Tally, VoteValue } from '@parley/contracts';
import { CLUSTER_MINIMUM_VOTES, computeResults, type ResultsInput } from './results';

type Vote = ResultsInput['votes'][number];
type Statement = ResultsInput['statements'][number];
type Group = ResultsInput['groups'][number];

const sut = computeResults;

// ---- factories -------------------------------------------------------------------------------

const aGroup = (id: string, respondents = 0): Group => ({ id, name: `Group ${id}`, respondents });
const aStatement = (number: number, groupId = 'g1'): Statement => ({ id: `s${number}`, number, groupId, text: `Statement ${number}` });
const aVote = (statementId: string, respondentId: string, groupId: string, vote: VoteValue): Vote => ({
  statementId,
  respondentId,
  groupId,
  vote,
});

/**
 * Votes of one group on one statement: `agree` respondents agree, then `disagree` disagree, then
 * `pass` pass; respondents are `<groupId>-r<i>`, i counted from 0 across the three (so the same
 * respondents vote again on the next statement).
 */
function votesOn(statementId: string, groupId: string, counts: Partial<Record<VoteValue, number>>): Vote[] {
  const values: VoteValue[] = [
    ...Array<VoteValue>(counts.agree ?? 0).fill('agree'),
    ...Array<VoteValue>(counts.disagree ?? 0).fill('disagree'),
    ...Array<VoteValue>(counts.pass ?? 0).fill('pass'),
  ];
  return values.map((vote, i) => aVote(statementId, `${groupId}-r${i}`, groupId, vote));
}

/** One respondent's ballot: statement number → vote. */
function ballot(respondentId: string, groupId: string, votes: Record<number, VoteValue>): Vote[] {
  return Object.entries(votes).map(([number, vote]) => aVote(`s${number}`, respondentId, groupId, vote));
}

function anInput(overrides: Partial<ResultsInput> = {}): ResultsInput {
  return {
    consultationId: 'consultation-1',
    groups: [aGroup('g1'), aGroup('g2'), aGroup('g3')],
    statements: [aStatement(1)],
    votes: [],
    k: 2,
    ...overrides,
  };
}

const tally = (agree: number, disagree: number, pass: number): Tally => ({ agree, disagree, pass, n: agree + disagree + pass });
const groupTally = (
  groupId: string,
  agree: number,
  disagree: number,
  pass: number,
  agreeShare: number | null,
  few: boolean,
): GroupTally => ({
  groupId,
  ...tally(agree, disagree, pass),
  agreeShare,
  few,
});

/** A small deterministic generator (mulberry32), for shuffles and noisy ballots. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const next = random(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** 40 respondents in 3 groups voting at random on 8 statements (some skipped), ids that stand out. */
function aNoisyInput(): ResultsInput {
  const next = random(7);
  const groups = [aGroup('g1', 20), aGroup('g2', 15), aGroup('g3', 10)];
  const statements = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => aStatement(n, groups[n % 3].id));
  const votes: Vote[] = [];
  for (let r = 0; r < 40; r++) {
    const respondentId = `anon-${String(r).padStart(4, '0')}-${Math.floor(next() * 1e9).toString(36)}`;
    const groupId = groups[r % 3].id;
    const leaning = r % 2 === 0 ? 1 : -1;
    for (const s of statements) {
      const x = next();
      if (x < 0.15) continue;
      const agreeing = (s.number <= 4 ? leaning : -leaning) > 0;
      // 15% skipped, 10% pass, 60% with the leaning, 15% against it.
      const withLeaning = x < 0.85;
      const vote: VoteValue = x < 0.25 ? 'pass' : withLeaning === agreeing ? 'agree' : 'disagree';
      votes.push(aVote(s.id, respondentId, groupId, vote));
    }
  }
  return anInput({ groups, statements, votes, k: 3 });
}

// ---- specs -----------------------------------------------------------------------------------

describe('computeResults', () => {
  describe('tallies', () => {
    // Three groups, three statements given out of order.
    //  s1: g1 4 agree 1 disagree (0.8) · g2 3 agree 1 disagree 1 pass (0.6) · g3 2 agree (few)
    //  s2: g1 2 agree 1 disagree (few, 0.6667) · g2 none · g3 1 pass (few)
    //  s3: g1 5 agree (1) · g2 1 agree 4 disagree (0.2) · g3 none
    const input = anInput({
      consultationId: 'c-42',
      groups: [
        { id: 'g1', name: 'Victims’ associations', respondents: 8 },
        { id: 'g2', name: 'Youth', respondents: 6 },
        { id: 'g3', name: 'Elders', respondents: 3 },
      ],
      statements: [aStatement(3, 'g3'), aStatement(1, 'g1'), aStatement(2, 'g2')],
      votes: [
        ...votesOn('s1', 'g1', { agree: 4, disagree: 1 }),
        ...votesOn('s1', 'g2', { agree: 3, disagree: 1, pass: 1 }),
        ...votesOn('s1', 'g3', { agree: 2 }),
        ...votesOn('s2', 'g1', { agree: 2, disagree: 1 }),
        ...votesOn('s2', 'g3', { pass: 1 }),
        ...votesOn('s3', 'g1', { agree: 5 }),
        ...votesOn('s3', 'g2', { agree: 1, disagree: 4 }),
      ],
    });

    it('counts every statement in number order, in total and per group in input order', async () => {
      const results = await sut(input);

      expect(results.consultationId).toBe('c-42');
      expect(results.minimumCount).toBe(5);
      expect(results.statements).toEqual([
        {
          statementId: 's1',
          number: 1,
          groupId: 'g1',
          text: 'Statement 1',
          total: tally(9, 2, 1),
          groups: [groupTally('g1', 4, 1, 0, 0.8, false), groupTally('g2', 3, 1, 1, 0.6, false), groupTally('g3', 2, 0, 0, 1, true)],
          consensus: true,
          divisive: false,
        },
        {
          statementId: 's2',
          number: 2,
          groupId: 'g2',
          text: 'Statement 2',
          total: tally(2, 1, 1),
          groups: [groupTally('g1', 2, 1, 0, 0.6667, true), groupTally('g2', 0, 0, 0, null, true), groupTally('g3', 0, 0, 1, 0, true)],
          consensus: false,
          divisive: false,
        },
        {
          statementId: 's3',
          number: 3,
          groupId: 'g3',
          text: 'Statement 3',
          total: tally(6, 4, 0),
          groups: [groupTally('g1', 5, 0, 0, 1, false), groupTally('g2', 1, 4, 0, 0.2, false), groupTally('g3', 0, 0, 0, null, true)],
          consensus: false,
          divisive: true,
        },
      ]);
    });

    it('counts each group’s distinct voters', async () => {
      const results = await sut(input);

      expect(results.groups).toEqual([
        { groupId: 'g1', name: 'Victims’ associations', respondents: 8, voters: 5 },
        { groupId: 'g2', name: 'Youth', respondents: 6, voters: 5 },
        { groupId: 'g3', name: 'Elders', respondents: 3, voters: 2 },
      ]);
    });

    it('gives a group without votes zero voters and n = 0 tallies', async () => {
      const results = await sut(anInput({ groups: [aGroup('g1', 4), aGroup('g2', 7)], votes: votesOn('s1', 'g1', { agree: 2 }) }));

      expect(results.groups.map((g) => [g.groupId, g.respondents, g.voters])).toEqual([
        ['g1', 4, 2],
        ['g2', 7, 0],
      ]);
      expect(results.statements[0].groups[1]).toEqual(groupTally('g2', 0, 0, 0, null, true));
    });

    it('ignores votes on statements it was not given', async () => {
      const results = await sut(anInput({ votes: [...votesOn('s1', 'g1', { agree: 1 }), aVote('s9', 'g1-r5', 'g1', 'agree')] }));

      expect(results.statements).toHaveLength(1);
      expect(results.statements[0].total).toEqual(tally(1, 0, 0));
      expect(results.groups[0].voters).toBe(1);
    });
  });

  describe('few, consensus and divisive', () => {
    /** One statement, with each group's (agree, disagree, pass). */
    const judge = async (...perGroup: Array<[number, number, number]>) => {
      const groups = perGroup.map((_c, i) => aGroup(`g${i + 1}`));
      const votes = perGroup.flatMap(([agree, disagree, pass], i) => votesOn('s1', `g${i + 1}`, { agree, disagree, pass }));
      const [statement] = (await sut(anInput({ groups, votes }))).statements;
      return statement;
    };

    it('flags a group with fewer than 5 votes as few, and not one with exactly 5', async () => {
      const s = await judge([4, 0, 0], [4, 0, 1]);

      expect(s.groups.map((g) => g.few)).toEqual([true, false]);
    });

    it('finds consensus when every judged group agrees at exactly 0.6', async () => {
      expect(await judge([3, 2, 0], [3, 1, 1])).toMatchObject({ consensus: true, divisive: false });
    });

    it('finds no consensus when a judged group is under 0.6', async () => {
      expect(await judge([3, 2, 0], [5, 4, 0])).toMatchObject({ consensus: false });
    });

    it('compares the unrounded shares: 14 999 / 25 000 shows as 0.6 but is no consensus', async () => {
      const s = await judge([5, 0, 0], [14999, 10001, 0]);

      expect(s.groups[1].agreeShare).toBe(0.6);
      expect(s.consensus).toBe(false);
    });

    it('needs two judged groups: one judged group and one few group are neither consensus nor divisive', async () => {
      expect(await judge([5, 0, 0], [0, 4, 0])).toMatchObject({ consensus: false, divisive: false });
    });

    it('leaves a few group out of consensus and of divisiveness', async () => {
      const s = await judge([5, 0, 0], [5, 0, 0], [0, 4, 0]);

      expect(s.groups.map((g) => g.few)).toEqual([false, false, true]);
      expect(s).toMatchObject({ consensus: true, divisive: false });
    });

    it('finds a statement divisive when judged shares are exactly 0.4 apart', async () => {
      expect(await judge([4, 1, 0], [2, 3, 0])).toMatchObject({ consensus: false, divisive: true });
      // 0.7 − 0.3 is 0.39999999999999997 in floating point: still 0.4 apart.
      expect(await judge([7, 3, 0], [3, 7, 0])).toMatchObject({ divisive: true });
    });

    it('does not find it divisive under 0.4 apart', async () => {
      expect(await judge([4, 1, 0], [5, 7, 0])).toMatchObject({ divisive: false });
    });

    it('can find consensus and division at once (1 and 0.6)', async () => {
      expect(await judge([5, 0, 0], [3, 0, 2])).toMatchObject({ consensus: true, divisive: true });
    });

    it('gives an agree share of null with no votes and counts passes in n', async () => {
      const s = await judge([0, 0, 0], [1, 0, 2]);

      expect(s.groups).toEqual([groupTally('g1', 0, 0, 0, null, true), groupTally('g2', 1, 0, 2, 0.3333, true)]);
    });
  });

  describe('clustering', () => {
    /** `count` respondents of a group each voting the same ballot; ids `<prefix>00`, `<prefix>01`, … */
    const camp = (prefix: string, count: number, groupOf: (i: number) => string, votes: Record<number, VoteValue>) =>
      Array.from({ length: count }, (_x, i) => ballot(`${prefix}${String(i).padStart(2, '0')}`, groupOf(i), votes)).flat();

    it('is null with fewer than 3 × k respondents who voted at least 3 times', async () => {
      const statements = [1, 2, 3].map((n) => aStatement(n));
      const enough = camp('a', 5, () => 'g1', { 1: 'agree', 2: 'disagree', 3: 'pass' });
      const tooFew = camp('b', 10, () => 'g2', { 1: 'agree', 2: 'agree' });

      const eight = [...enough, ...camp('c', 3, () => 'g3', { 1: 'pass', 2: 'pass', 3: 'pass' })];

      expect((await sut(anInput({ statements, votes: [...enough, ...tooFew], k: 2 }))).clustering).toBeNull();
      expect((await sut(anInput({ statements, votes: eight, k: 3 }))).clustering).toBeNull();
      expect((await sut(anInput({ statements, votes: eight, k: 2 }))).clustering).toMatchObject({ respondents: 8 });
    });

    it('clusters from exactly 3 × k respondents, counting only those', async () => {
      const statements = [1, 2, 3].map((n) => aStatement(n));
      const votes = [
        ...camp('a', 3, () => 'g1', { 1: 'agree', 2: 'agree', 3: 'agree' }),
        ...camp('b', 3, () => 'g2', { 1: 'disagree', 2: 'disagree', 3: 'pass' }),
        ...camp('c', 4, () => 'g3', { 1: 'agree', 2: 'agree' }),
      ];

      const { clustering } = await sut(anInput({ statements, votes, k: 2 }));

      expect(clustering).toMatchObject({ k: 2, respondents: 6, minimumVotes: CLUSTER_MINIMUM_VOTES });
      expect(clustering?.clusters.map((c) => c.size)).toEqual([3, 3]);
    });

    it('splits two opposed camps of 10 into two clusters of 10 and names what sets each apart', async () => {
      const statements = [1, 2, 3, 4, 5, 6].map((n) => aStatement(n));
      const votes = [
        // Camp A (a00–a09): 6 in g1, 4 in g2; agree with 1–3, disagree with 4–6.
        ...camp('a', 10, (i) => (i < 6 ? 'g1' : 'g2'), { 1: 'agree', 2: 'agree', 3: 'agree', 4: 'disagree', 5: 'disagree', 6: 'disagree' }),
        // Camp B (b00–b09): 3 in g1, 7 in g2; the reverse.
        ...camp('b', 10, (i) => (i < 3 ? 'g1' : 'g2'), { 1: 'disagree', 2: 'disagree', 3: 'disagree', 4: 'agree', 5: 'agree', 6: 'agree' }),
      ];

      const { clustering } = await sut(anInput({ statements, votes, k: 2 }));

      const all = tally(10, 0, 0);
      const none = tally(0, 10, 0);
      expect(clustering).toEqual({
        k: 2,
        respondents: 20,
        minimumVotes: 3,
        method: 'k-means (ml-kmeans, k-means++ seeded) over agree = 1, disagree = -1, pass or unseen = 0',
        clusters: [
          {
            // Same size: camp A first, its first member (a00) coming first.
            number: 1,
            size: 10,
            groups: [
              { groupId: 'g1', n: 6 },
              { groupId: 'g2', n: 4 },
              { groupId: 'g3', n: 0 },
            ],
            // All six differ by 1 in absolute value: the lower numbers are kept.
            distinctive: [
              { statementId: 's1', tally: all, agreeShareDifference: 1 },
              { statementId: 's2', tally: all, agreeShareDifference: 1 },
              { statementId: 's3', tally: all, agreeShareDifference: 1 },
              { statementId: 's4', tally: none, agreeShareDifference: -1 },
              { statementId: 's5', tally: none, agreeShareDifference: -1 },
            ],
          },
          {
            number: 2,
            size: 10,
            groups: [
              { groupId: 'g1', n: 3 },
              { groupId: 'g2', n: 7 },
              { groupId: 'g3', n: 0 },
            ],
            distinctive: [
              { statementId: 's1', tally: none, agreeShareDifference: -1 },
              { statementId: 's2', tally: none, agreeShareDifference: -1 },
              { statementId: 's3', tally: none, agreeShareDifference: -1 },
              { statementId: 's4', tally: all, agreeShareDifference: 1 },
              { statementId: 's5', tally: all, agreeShareDifference: 1 },
            ],
          },
        ],
      });
    });

    it('numbers clusters by size, orders distinctive statements by absolute difference, and takes 0 outside when no one else voted', async () => {
      const statements = [1, 2, 3, 4].map((n) => aStatement(n));
      const votes = [
        // Camp A (6): agree with 1, disagree with 2 and 3; three of them also vote on 4 (2 agree, 1 pass).
        ...camp('a', 6, () => 'g1', { 1: 'agree', 2: 'disagree', 3: 'disagree' }),
        ...ballot('a00', 'g1', { 4: 'agree' }),
        ...ballot('a01', 'g1', { 4: 'agree' }),
        ...ballot('a02', 'g1', { 4: 'pass' }),
        // Camp B (9): disagree with 1; agree with 2 except b00 who passes; agree with 3.
        ...camp('b', 9, () => 'g2', { 1: 'disagree', 3: 'agree' }),
        ...ballot('b00', 'g2', { 2: 'pass' }),
        ...camp('b', 9, () => 'g2', { 2: 'agree' }).slice(1),
      ];

      const { clustering } = await sut(anInput({ statements, votes, k: 2 }));

      const [b, a] = clustering?.clusters ?? [];
      expect([b.number, b.size, a.number, a.size]).toEqual([1, 9, 2, 6]);
      // Inside B on s2: 8/9 agree; outside (A): 0/6 → 0.8889. s4: B cast no vote on it, so it is not listed.
      expect(b.distinctive).toEqual([
        { statementId: 's1', tally: tally(0, 9, 0), agreeShareDifference: -1 },
        { statementId: 's3', tally: tally(9, 0, 0), agreeShareDifference: 1 },
        { statementId: 's2', tally: tally(8, 0, 1), agreeShareDifference: 0.8889 },
      ]);
      // s4: 2/3 inside A, no vote outside → 0.6667 − 0.
      expect(a.distinctive).toEqual([
        { statementId: 's1', tally: tally(6, 0, 0), agreeShareDifference: 1 },
        { statementId: 's3', tally: tally(0, 6, 0), agreeShareDifference: -1 },
        { statementId: 's2', tally: tally(0, 6, 0), agreeShareDifference: -0.8889 },
        { statementId: 's4', tally: tally(2, 0, 1), agreeShareDifference: 0.6667 },
      ]);
    });
  });

  describe('determinism and anonymity', () => {
    it('gives the same results whatever the order of votes and statements', async () => {
      const input = aNoisyInput();
      const expected = await sut(input);

      expect(expected.clustering?.clusters.length).toBeGreaterThanOrEqual(2);
      for (const seed of [1, 2, 3]) {
        const results = await sut({ ...input, votes: shuffled(input.votes, seed), statements: shuffled(input.statements, seed + 10) });
        expect(results).toEqual(expected);
      }
    });

    it('puts no respondent id in its output', async () => {
      const input = aNoisyInput();
      const json = JSON.stringify(await sut(input));

      const respondentIds = [...new Set(input.votes.map((v) => v.respondentId))];
      expect(respondentIds).toHaveLength(40);
      for (const id of respondentIds) expect(json).not.toContain(id);
    });
  });

  describe('k', () => {
    it.each([1, 7, 0, -2, 2.5, Number.NaN])('refuses k = %p', async (k) => {
      await expect(sut(anInput({ k }))).rejects.toThrow(/^k must be an integer from 2 to 6/);
    });

    it.each([2, 6])('accepts k = %p', async (k) => {
      await expect(sut(anInput({ k }))).resolves.toMatchObject({ clustering: null });
    });
  });
});
