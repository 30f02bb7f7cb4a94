import fc from 'fast-check';
import { movePosition, spliceOf } from './splice';

const apply = (s: string, e: { index: number; remove: number; insert: string }) =>
  s.slice(0, e.index) + e.insert + s.slice(e.index + e.remove);

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
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        const e = spliceOf(a, b);
        expect(apply(a, e)).toBe(b);
        expect(e.remove).toBeLessThanOrEqual(a.length);
      }),
      { numRuns: 500 },
    );
  });
});

describe("movePosition: the caret after another editor's change", () => {
  it.each([
    [5, [{ insert: 'abc' }], 8],
    [5, [{ retain: 5 }, { insert: 'abc' }], 8],
    [5, [{ retain: 6 }, { insert: 'abc' }], 5],
    [5, [{ delete: 2 }], 3],
    [5, [{ retain: 3 }, { delete: 10 }], 3],
    [5, [{ retain: 5 }, { delete: 2 }], 5],
    [5, [{ retain: 1 }, { delete: 1 }, { retain: 1 }, { insert: 'xy' }], 6],
    [0, [{ delete: 4 }], 0],
  ] as const)('caret %i, delta %j → %i', (pos, delta, expected) => {
    expect(movePosition(pos, delta)).toBe(expected);
  });

  it('keeps the caret on the same character whatever the other editor changes elsewhere (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.nat(), fc.string(), fc.string(), (text, at, before, after) => {
        const pos = at % text.length; // the caret sits before text[pos]
        const changed = before + text + after; // someone typed before and after, not inside
        const delta = [{ insert: before }, { retain: text.length }, { insert: after }];
        expect(changed[movePosition(pos, delta)]).toBe(text[pos]);
      }),
      { numRuns: 300 },
    );
  });
});
