import type { ClauseView } from '@parley/contracts';

/** A party that has not (fully) agreed a clause: no mark at all, or agreed only ad referendum. */
export interface PartyHolding {
  partyId: string;
  name: string;
  mark: 'none' | 'ad_referendum';
}

/** One clause standing in Finalise's way, and why. */
export interface ClauseBlocker {
  clauseId: string;
  number: number;
  /** Disputed segments still in the clause: while any is open no party can mark it. */
  openBrackets: number;
  /** The parties still to agree, in the session's order of parties (empty while brackets are open). */
  parties: PartyHolding[];
}

export interface FinaliseBlockers {
  /** Nothing to finalise: the text has no clause yet. */
  empty: boolean;
  clauses: ClauseBlocker[];
}

/**
 * What stands in the way of finalising, read as the server decides it (nothing is agreed until
 * everything is): every clause not agreed, with its open brackets, or else each party that has not
 * agreed it or agreed it only ad referendum. Parties are the session's (`parties`), so that one that
 * never marked anything is named too. Finalise is possible when the text has clauses and none blocks.
 */
export function finaliseBlockers(clauses: readonly ClauseView[], parties: readonly { id: string; name: string }[]): FinaliseBlockers {
  const blockers = clauses
    .filter((c) => c.state !== 'agreed')
    .map((c): ClauseBlocker => {
      const openBrackets = c.segments.length;
      const holding =
        openBrackets > 0
          ? []
          : parties.flatMap((p): PartyHolding[] => {
              const mark = c.marks.find((m) => m.partyId === p.id)?.level ?? 'none';
              return mark === 'agreed' ? [] : [{ partyId: p.id, name: p.name, mark }];
            });
      return { clauseId: c.id, number: c.number, openBrackets, parties: holding };
    });
  return { empty: clauses.length === 0, clauses: blockers };
}

/** Whether the mediator may finalise now. */
export const mayFinalise = (b: FinaliseBlockers): boolean => !b.empty && b.clauses.length === 0;
