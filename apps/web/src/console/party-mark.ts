/**
 * A party's colour and mark, stable for the session: from the party's place in the session's order
 * (the order the parties were created in), so every page and every reload shows North in the same
 * colour. Colour is never the only sign: the mark carries the party's initial and the name is
 * written beside it. Each colour holds white text at 4.5:1 or more.
 */
export const PARTY_COLOURS = ['#1f5fa8', '#a83232', '#2e7d32', '#7b3fa0', '#b35900', '#00727a', '#8a6d00', '#5d4037'] as const;

export interface PartyMark {
  colour: string;
  /** The party's initial (its first letter, upper case). */
  initial: string;
  /** Its place in the session's order, from 1. */
  position: number;
}

export function partyMark(parties: ReadonlyArray<{ id: string; name: string }>, partyId: string | null): PartyMark | null {
  if (!partyId) return null;
  const i = parties.findIndex((p) => p.id === partyId);
  if (i === -1) return null;
  const first = Array.from(parties[i].name.trim())[0] ?? '?';
  return { colour: PARTY_COLOURS[i % PARTY_COLOURS.length], initial: first.toLocaleUpperCase(), position: i + 1 };
}
