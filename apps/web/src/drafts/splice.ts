/**
 * The smallest edit that turns `before` into `after`: one deletion and one insertion between the
 * common prefix and suffix. What a textarea change is, so concurrent typists merge in Yjs.
 */
export function spliceOf(before: string, after: string): { index: number; remove: number; insert: string } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  // Never cut a surrogate pair (an emoji, a rare CJK character) in two.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) {
    endB--;
    endA--;
  }
  if (endB < before.length && isLowSurrogate(before.charCodeAt(endB))) {
    endB++;
    endA++;
  }
  return { index: start, remove: endB - start, insert: after.slice(start, endA) };
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** One Yjs text delta op, as `Y.YTextEvent.delta` gives them. */
export type DeltaOp = { retain: number } | { insert: string | object } | { delete: number };

/**
 * Where a caret at `pos` belongs after someone else's change: text inserted before it pushes it
 * on, text deleted before it pulls it back. Typing at the same spot as another editor keeps one's
 * caret after the other's insertion.
 */
export function movePosition(pos: number, delta: readonly DeltaOp[]): number {
  let index = 0; // in the text before the change
  let shift = 0;
  for (const op of delta) {
    if ('retain' in op) index += op.retain;
    else if ('insert' in op) {
      if (index <= pos) shift += typeof op.insert === 'string' ? op.insert.length : 1;
    } else {
      if (pos > index) shift -= Math.min(op.delete, pos - index);
      index += op.delete;
    }
  }
  return Math.max(0, pos + shift);
}
