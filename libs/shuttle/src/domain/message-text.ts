import { createHash } from 'node:crypto';
import { DomainError } from '@parley/platform/domain';

/** Longest chat or shuttle message, in characters. */
export const MAX_MESSAGE_LENGTH = 4000;

/**
 * The text as it will be stored and delivered: trimmed, never empty, never longer than the limit.
 * NFC-normalised so that the hash in the audit trail does not depend on how a keyboard composed it.
 */
export function normaliseText(raw: string, field = 'text'): string {
  const text = raw.normalize('NFC').trim();
  if (text.length === 0) throw new DomainError('VALIDATION_FAILED', `${field} must not be empty`, field);
  if (text.length > MAX_MESSAGE_LENGTH) {
    throw new DomainError('VALIDATION_FAILED', `${field} must be at most ${MAX_MESSAGE_LENGTH} characters`, field);
  }
  return text;
}

/** SHA-256 of the exact text delivered: what the audit chain records. */
export const textHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
