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
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) { endB--; endA--; }
  if (endB < before.length && isLowSurrogate(before.charCodeAt(endB))) { endB++; endA++; }
  return { index: start, remove: endB - start, insert: after.slice(start, endA) };
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;
