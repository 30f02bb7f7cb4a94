import fc from 'fast-check';
import { spliceOf } from './splice';

const apply = (s: string, e: { index: number; remove: number; insert: string }) => s.slice(0, e.index) + e.insert + s.slice(e.index + e.remove);

describe('spliceOf: a textarea change as one Yjs deletion and insertion', () => {
  it.each([
    ['', 'abc', { index: 0, remove: 0, insert: 'abc' }],
    ['abc', '', { index: 0, remove: 3, insert: '' }],
    ['the port', 'the harbour port', { index: 4, remove: 0, insert: 'harbour ' }],
    ['fishing rights', 'fishing quotas', { index: 8, remove: 5, insert: 'quota' }],
    ['same', 'same', { index: 4, remove: 0, insert: '' }],
    ['aaa', 'aaaa', { index: 3, remove: 0, insert: 'a' }],
  ])('%j → %j', (before, after, expected) => {
    expect(spliceOf(before, after)).toEqual(expected);
  });

  it('keeps surrogate pairs whole', () => {
    const e = spliceOf('a😀b', 'a😃b');
    expect(e).toEqual({ index: 1, remove: 2, insert: '😃' });
    expect(apply('a😀b', e)).toBe('a😃b');
  });

  it('always rebuilds the new text from the old (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
      const e = spliceOf(a, b);
      expect(apply(a, e)).toBe(b);
      expect(e.remove).toBeLessThanOrEqual(a.length);
    }), { numRuns: 500 });
  });
});
