/**
 * A consultation's results, worked out from its approved statements and the votes cast on them: a
 * pure function of its input (no clock, no randomness beyond k-means' fixed seed, no I/O), so that
 * results frozen at the close can be recomputed and compared later.
 *
 * Respondents are anonymous: their ids are read to count voters and to cluster them, and never
 * appear in the output.
 */
import { CONSULTATION_LIMITS } from '@parley/contracts';
import type {
  Cluster,
  ClusterStatement,
  Clustering,
  ConsultationResults,
  GroupTally,
  StatementResult,
  Tally,
  VoteValue,
} from '@parley/contracts';

export interface ResultsInput {
  consultationId: string;
  /** In display order. */
  groups: ReadonlyArray<{ id: string; name: string; respondents: number }>;
  /** The approved statements only. */
  statements: ReadonlyArray<{ id: string; number: number; groupId: string; text: string }>;
  /** The votes on those statements: at most one per respondent and statement, each respondent in one group. */
  votes: ReadonlyArray<{ statementId: string; respondentId: string; groupId: string; vote: VoteValue }>;
  /** Clusters asked: an integer from 2 to 6 (callers validate; anything else throws). */
  k: number;
}

/** A judged group reaches consensus on a statement with an agree share at least this. */
export const CONSENSUS_SHARE = 0.6;
/** A statement is divisive when the agree shares of its judged groups are at least this far apart. */
export const DIVISION_GAP = 0.4;
/** Respondents with at least this many votes (passes included) are clustered. */
export const CLUSTER_MINIMUM_VOTES = 3;

const K_MIN = 2;
const K_MAX = 6;
/** Respondents clustered per cluster asked, at the least, for a clustering to be made. */
const RESPONDENTS_PER_CLUSTER = 3;
const DISTINCTIVE_MAX = 5;
const KMEANS_SEED = 42;
const METHOD = 'k-means (ml-kmeans, k-means++ seeded) over agree = 1, disagree = -1, pass or unseen = 0';
/**
 * Slack in the threshold comparisons: shares are quotients of integers, so 0.7 − 0.3 must count as
 * 0.4 (it is 0.39999999999999997 in floating point). Two distinct shares of counts under a million
 * differ by far more than this.
 */
const EPSILON = 1e-12;

const importKmeans = () => import('ml-kmeans');
type KmeansModule = Awaited<ReturnType<typeof importKmeans>>;

let kmeansLoaded: Promise<KmeansModule> | null = null;

/**
 * ml-kmeans is published as ES modules only, while Parley compiles to CommonJS: it is loaded once
 * per process with a real dynamic `import()`, which TypeScript keeps as such under `module: node16`
 * (and jest runs with `--experimental-vm-modules`, so tests load it the same way), as
 * media/infrastructure/janus/janode.ts does for janode. Hence `computeResults` is async.
 */
function loadKmeans(): Promise<KmeansModule> {
  kmeansLoaded ??= importKmeans().catch((e: unknown) => {
    kmeansLoaded = null;
    throw new Error(`ml-kmeans could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
  });
  return kmeansLoaded;
}

const VECTOR_VALUE: Record<VoteValue, number> = { agree: 1, disagree: -1, pass: 0 };

/** x rounded to 4 decimals (Math.round(x × 10⁴) / 10⁴), never −0. */
const round4 = (x: number): number => Math.round(x * 1e4) / 1e4 || 0;

/** Code-unit order, the same whatever the locale. */
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const emptyTally = (): Tally => ({ agree: 0, disagree: 0, pass: 0, n: 0 });

function count(tally: Tally, vote: VoteValue): void {
  tally[vote] += 1;
  tally.n += 1;
}

/** agree / n, unrounded; null when n is 0. */
const shareOf = (t: Tally): number | null => (t.n === 0 ? null : t.agree / t.n);

interface Voter {
  respondentId: string;
  groupId: string;
  /** Statement index (in `number` order) → vote. */
  votes: Map<number, VoteValue>;
}

/**
 * The results of a consultation (all but `frozen`, which its store adds).
 *
 * Statements (`statements`), in ascending `number`:
 * - `total` tallies all the votes on the statement; `groups` has one `GroupTally` per input group,
 *   in input order (groups without a vote included, with n = 0): that group's own votes on it.
 * - `n` = agree + disagree + pass; `agreeShare` = agree / n rounded to 4 decimals
 *   (Math.round(x × 10⁴) / 10⁴), null when n = 0; `few` = n < `CONSULTATION_LIMITS.minimumCount`.
 * - A group is *judged* on a statement when it is not `few`.
 * - `consensus`: at least two groups are judged, and every judged group's agree share is at least
 *   `CONSENSUS_SHARE` (0.6).
 * - `divisive`: at least two groups are judged, and the highest and lowest judged agree shares are at
 *   least `DIVISION_GAP` (0.4) apart.
 *   Both compare the unrounded shares (with a 10⁻¹² slack for floating-point error).
 *
 * Groups (`groups`): per input group, in input order, `{ groupId, name, respondents, voters }`, where
 * `voters` is how many distinct respondents of the group cast at least one vote.
 *
 * Clustering (`clustering`):
 * - Respondents with at least `CLUSTER_MINIMUM_VOTES` (3) votes, passes included, are clustered,
 *   taken in respondentId order (so that the input's order does not matter). Each is a vector over
 *   the statements in `number` order: agree 1, disagree −1, pass or no vote 0.
 * - Fewer than 3 × k such respondents: `clustering` is null. Otherwise the vectors go to
 *   `kmeans(vectors, k, { initialization: 'kmeans++', seed: 42 })` of ml-kmeans.
 * - Empty clusters are dropped; the others are numbered 1, 2, … by decreasing size (ties: the
 *   cluster whose first member in respondentId order comes first).
 * - Per cluster: `size`; `groups`, for each input group (input order, zeros included), how many of
 *   its respondents the cluster holds; `distinctive`, the statements at least one member voted on,
 *   each with the tally of its members' votes and `agreeShareDifference` = agree share inside the
 *   cluster − agree share among the other clustered respondents' votes on it (0 when they cast
 *   none), rounded to 4 decimals; the 5 with the largest absolute (rounded) difference are kept, in
 *   that order (ties: lower statement number first).
 * - `k` is the k asked, `respondents` how many were clustered, `minimumVotes` is
 *   `CLUSTER_MINIMUM_VOTES`, and `method` names the method.
 *
 * `minimumCount` is `CONSULTATION_LIMITS.minimumCount`.
 *
 * Votes on a statement not in `statements` are ignored. A vote whose group is not in `groups`
 * counts in `total` and in the clustering only.
 *
 * Async only because ml-kmeans has to be loaded with a dynamic `import()` (see `loadKmeans`): the
 * result depends on the input alone.
 *
 * @throws Error (the promise rejects) when k is not an integer from 2 to 6.
 */
export async function computeResults(input: ResultsInput): Promise<Omit<ConsultationResults, 'frozen'>> {
  const { k } = input;
  if (!Number.isInteger(k) || k < K_MIN || k > K_MAX) {
    throw new Error(`k must be an integer from ${K_MIN} to ${K_MAX}, not ${String(k)}`);
  }
  const { kmeans } = await loadKmeans();
  const minimumCount = CONSULTATION_LIMITS.minimumCount;
  const statements = [...input.statements].sort((a, b) => a.number - b.number || byString(a.id, b.id));
  const indexOfStatement = new Map(statements.map((s, i) => [s.id, i]));
  const groupIds = input.groups.map((g) => g.id);

  // Tallies per statement (total and per group), and each respondent's votes.
  const totals = statements.map(emptyTally);
  const groupTallies = statements.map(() => new Map(groupIds.map((id) => [id, emptyTally()])));
  const voters = new Map<string, Voter>();
  for (const v of input.votes) {
    const index = indexOfStatement.get(v.statementId);
    if (index === undefined) continue;
    count(totals[index], v.vote);
    const groupTally = groupTallies[index].get(v.groupId);
    if (groupTally) count(groupTally, v.vote);
    let voter = voters.get(v.respondentId);
    if (!voter) {
      voter = { respondentId: v.respondentId, groupId: v.groupId, votes: new Map() };
      voters.set(v.respondentId, voter);
    }
    voter.votes.set(index, v.vote);
  }

  const statementResults: StatementResult[] = statements.map((s, index) => {
    const groups: GroupTally[] = groupIds.map((groupId) => {
      const t = groupTallies[index].get(groupId) ?? emptyTally();
      const share = shareOf(t);
      return { groupId, ...t, agreeShare: share === null ? null : round4(share), few: t.n < minimumCount };
    });
    const judged = groupIds
      .map((id) => groupTallies[index].get(id) ?? emptyTally())
      .filter((t) => t.n >= minimumCount)
      .map((t) => t.agree / t.n);
    const consensus = judged.length >= 2 && judged.every((share) => share >= CONSENSUS_SHARE - EPSILON);
    const divisive = judged.length >= 2 && Math.max(...judged) - Math.min(...judged) >= DIVISION_GAP - EPSILON;
    return { statementId: s.id, number: s.number, groupId: s.groupId, text: s.text, total: totals[index], groups, consensus, divisive };
  });

  const votersPerGroup = new Map<string, number>();
  for (const voter of voters.values()) votersPerGroup.set(voter.groupId, (votersPerGroup.get(voter.groupId) ?? 0) + 1);

  return {
    consultationId: input.consultationId,
    groups: input.groups.map((g) => ({ groupId: g.id, name: g.name, respondents: g.respondents, voters: votersPerGroup.get(g.id) ?? 0 })),
    statements: statementResults,
    clustering: clusteringOf([...voters.values()], statements, groupIds, k, kmeans),
    minimumCount,
  };
}

function clusteringOf(
  voters: Voter[],
  statements: ReadonlyArray<{ id: string; number: number }>,
  groupIds: string[],
  k: number,
  kmeans: KmeansModule['kmeans'],
): Clustering | null {
  const clustered = voters.filter((v) => v.votes.size >= CLUSTER_MINIMUM_VOTES).sort((a, b) => byString(a.respondentId, b.respondentId));
  if (clustered.length < RESPONDENTS_PER_CLUSTER * k) return null;
  const vectors = clustered.map((v) => statements.map((_s, index) => VECTOR_VALUE[v.votes.get(index) ?? 'pass']));
  const { clusters: assignment } = kmeans(vectors, k, { initialization: 'kmeans++', seed: KMEANS_SEED });

  // Members (indexes into `clustered`, so in respondentId order) of each non-empty cluster.
  const members = new Map<number, number[]>();
  assignment.forEach((cluster, member) => {
    const list = members.get(cluster);
    if (list) list.push(member);
    else members.set(cluster, [member]);
  });
  const ordered = [...members.values()].sort((a, b) => b.length - a.length || a[0] - b[0]);

  // Tallies of all the clustered respondents, per statement: a cluster's outside is this minus its inside.
  const allTallies = statements.map(emptyTally);
  for (const voter of clustered) for (const [index, vote] of voter.votes) count(allTallies[index], vote);

  const clusters: Cluster[] = ordered.map((list, i) => {
    const inside = statements.map(emptyTally);
    for (const member of list) for (const [index, vote] of clustered[member].votes) count(inside[index], vote);
    const distinctive: ClusterStatement[] = statements
      .map((s, index) => ({ s, index, tally: inside[index] }))
      .filter(({ tally }) => tally.n > 0)
      .map(({ s, index, tally }) => {
        const all = allTallies[index];
        const outside: Tally = {
          agree: all.agree - tally.agree,
          disagree: all.disagree - tally.disagree,
          pass: all.pass - tally.pass,
          n: all.n - tally.n,
        };
        return {
          statementId: s.id,
          number: s.number,
          tally,
          agreeShareDifference: round4(tally.agree / tally.n - (shareOf(outside) ?? 0)),
        };
      })
      .sort((a, b) => Math.abs(b.agreeShareDifference) - Math.abs(a.agreeShareDifference) || a.number - b.number)
      .slice(0, DISTINCTIVE_MAX)
      .map(({ statementId, tally, agreeShareDifference }) => ({ statementId, tally, agreeShareDifference }));
    return {
      number: i + 1,
      size: list.length,
      groups: groupIds.map((groupId) => ({ groupId, n: list.filter((member) => clustered[member].groupId === groupId).length })),
      distinctive,
    };
  });

  return { k, respondents: clustered.length, minimumVotes: CLUSTER_MINIMUM_VOTES, method: METHOD, clusters };
}
