/**
 * Sentences that hold an element (a struck-through word, the deleted wording between two hidden
 * markers) are translated whole, with a slot mark in each placeholder, then cut at the marks: the
 * words around a slot stay in the order each language puts them.
 */

/** The mark filling slot `i` of a sentence: a private-use character, never typed in wording. */
export const slot = (i: number): string => String.fromCharCode(0xe000 + i);

const SLOT_MARK = /([\uE000-\uE0FF])/;

/** The sentence cut into its words (strings) and the places of its slots (their numbers), in order; no empty words. */
export function cutAtSlots(sentence: string): Array<string | number> {
  return sentence
    .split(SLOT_MARK)
    .filter((piece) => piece !== '')
    .map((piece) => (piece.length === 1 && SLOT_MARK.test(piece) ? piece.charCodeAt(0) - 0xe000 : piece));
}

/**
 * What a screen reader hears before and after a change: "[deleted: {text}]" filled with slot 0
 * gives ["[deleted: ", "]"]. A sentence without the slot gives it all before.
 */
export function around(sentence: string): [before: string, after: string] {
  const at = sentence.indexOf(slot(0));
  return at < 0 ? [sentence, ''] : [sentence.slice(0, at), sentence.slice(at + 1)];
}
