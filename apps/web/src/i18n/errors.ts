import { ERROR_CODES, isRetryable, type ErrorCode } from '@parley/contracts';
import { en, type MessageKey } from './messages.en';
import type { Translate } from './i18n';

/** The server's codes, and NETWORK: the client's own name for "no answer at all". */
export type ShownErrorCode = ErrorCode | 'NETWORK';

// Every contract code has its sentence: a catalogue without one does not compile (and the spec
// checks the same at run time from ERROR_CODES, for every language).
const everyCodeHasASentence: Record<`error.${ShownErrorCode}`, string> = en;
void everyCodeHasASentence;

const known = new Set<string>(ERROR_CODES);

/** The catalogue key of a code's sentence; a code this client does not know yet reads as a plain failure. */
export function errorKey(code: string): MessageKey {
  const key = `error.${code}`;
  return key in en ? (key as MessageKey) : 'error.unknown';
}

/**
 * An outage rather than a mistake (the database, Redis, the SFU or the server itself away, or no
 * answer at all), and Parley tries again by itself. An outage code comes with a refusal; no answer
 * at all (NETWORK) does not tell whether the request arrived.
 */
export function isOutage(code: string): boolean {
  return code === 'NETWORK' || (known.has(code) && isRetryable(code as ErrorCode));
}

/**
 * What a person reads for a refusal: the sentence of its code in their language, never the code,
 * the server's English message or an event name. A field is named by its label when the page has one.
 */
export function errorSentence(t: Translate, error: { code: string; field?: string }): string {
  const sentence = t(errorKey(error.code));
  const label = error.field ? fieldLabel(t, error.field) : null;
  return label ? `${sentence} ${t('error.field', { field: label })}` : sentence;
}

function fieldLabel(t: Translate, field: string): string | null {
  const key = `field.${field}`;
  return key in en ? t(key as MessageKey) : null;
}
