import { DomainError } from '../domain/domain-error';
import { MAX_INPUT_DEPTH, checkInput } from './input-guard';

const refusal = (input: unknown): { code: string; field?: string } | null => {
  try {
    checkInput(input);
    return null;
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return { code: e.code, ...(e.field ? { field: e.field } : {}) };
  }
};

const nestedArray = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}1${']'.repeat(depth)}`);

describe('checkInput', () => {
  it('lets ordinary input through, Arabic and surrogate pairs included', () => {
    expect(refusal({ title: 'اتفاق 😀', parties: ['Alpha'], n: 1, none: null, deep: nestedArray(MAX_INPUT_DEPTH - 1) })).toBeNull();
    expect(refusal(undefined)).toBeNull();
    expect(refusal('plain')).toBeNull();
  });

  it('passes binary (a draft update) without walking its bytes', () => {
    // A walk would read this enumerable property of the buffer and throw.
    const update = Object.defineProperty(Buffer.alloc(1024), 'walked', {
      enumerable: true,
      get: () => {
        throw new Error('the bytes were walked');
      },
    });
    expect(() => checkInput({ update, inner: { bytes: new Uint8Array(8) } })).not.toThrow();
  });

  it('refuses nesting deeper than the limit, without overflowing itself', () => {
    expect(refusal({ a: nestedArray(MAX_INPUT_DEPTH) })).toMatchObject({ code: 'VALIDATION_FAILED', field: expect.stringMatching(/^a/) });
    expect(refusal(nestedArray(100_000))).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it.each([
    ['a NUL in a value', { title: 'a\u0000b' }, 'title'],
    ['a NUL in a key', { 'ti\u0000tle': 'x' }, 'ti\u0000tle'],
    ['a lone high surrogate', { list: ['ok', 'a\ud800'] }, 'list.1'],
    ['a lone low surrogate', { text: '\udc00b' }, 'text'],
    ['a high surrogate at the end', { text: 'end\ud83d' }, 'text'],
    ['constructor', JSON.parse('{"constructor":{"name":"x"}}') as unknown, 'constructor'],
    ['__proto__', JSON.parse('{"a":{"__proto__":{"x":1}}}') as unknown, 'a.__proto__'],
    ['prototype', { prototype: {} }, 'prototype'],
    ['toString (a number field sent as an object that cannot convert)', { beforeSeq: { toString: -2147483649 } }, 'beforeSeq.toString'],
    ['valueOf', { limit: { valueOf: 'x' } }, 'limit.valueOf'],
  ])('refuses %s, naming the field', (_name, input, field) => {
    expect(refusal(input)).toEqual({ code: 'VALIDATION_FAILED', field });
  });
});
