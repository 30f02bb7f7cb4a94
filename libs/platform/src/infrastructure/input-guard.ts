import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../domain/domain-error';

/**
 * How deep a request body or socket payload may nest. The deepest legitimate input (a proposal:
 * change → wording → segments → options → supportedBy) is six levels; class-transformer recurses
 * once per level, so a body nested thousands deep would overflow the stack before validation.
 */
export const MAX_INPUT_DEPTH = 32;

/**
 * Keys no DTO has: those that reach for the prototype chain, and those that decide how an object
 * converts to a primitive (`{"beforeSeq": {"toString": 1}}` made class-transformer's Number() throw
 * a TypeError, answered INTERNAL; found by the fuzz suite, seed 982504842).
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype', 'toString', 'valueOf']);

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Refuses, before any DTO sees it, input no field can hold: nesting deeper than MAX_INPUT_DEPTH,
 * a string or key with a NUL character or a lone surrogate (PostgreSQL stores neither), and keys
 * that name the prototype chain. Walks without recursion, so the walk itself cannot overflow.
 * Throws VALIDATION_FAILED naming the offending field (dotted path) when there is one.
 */
export function checkInput(input: unknown, root = ''): void {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: input, path: root, depth: 0 }];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      checkString(value, path);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    // Binary (a live draft's Yjs update arrives as a Buffer) holds bytes, not text or keys: walking
    // it entry by entry took 1.5 s of the event loop per megabyte.
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      throw new DomainError('VALIDATION_FAILED', `The input nests deeper than ${MAX_INPUT_DEPTH} levels.`, path || undefined);
    }
    for (const [key, child] of Object.entries(value)) {
      const field = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) throw new DomainError('VALIDATION_FAILED', `property ${key} should not exist`, field);
      checkString(key, field);
      stack.push({ value: child, path: field, depth: depth + 1 });
    }
  }
}

function checkString(s: string, field: string): void {
  if (s.includes('\u0000')) throw new DomainError('VALIDATION_FAILED', 'Text cannot contain a NUL character.', field || undefined);
  if (LONE_SURROGATE.test(s)) {
    throw new DomainError('VALIDATION_FAILED', 'Text cannot contain a lone surrogate (malformed UTF-16).', field || undefined);
  }
}

/** Express middleware after the JSON parser: checkInput on the body and the query string. */
export function inputGuard(req: Request, _res: Response, next: NextFunction): void {
  try {
    checkInput(req.body);
    checkInput(req.query);
    next();
  } catch (e) {
    next(e);
  }
}
