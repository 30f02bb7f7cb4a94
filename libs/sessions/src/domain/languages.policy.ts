import { DomainError } from '@parley/platform/domain';
import { LANGUAGE_CODE, MAX_SESSION_LANGUAGES, type LanguagePair } from '@parley/contracts';

/**
 * A session's declared languages: each a LANGUAGE_CODE, none twice, at most MAX_SESSION_LANGUAGES.
 * Returned as given (their order is the mediators'); refused whole, LANGUAGE_INVALID on `languages`.
 */
export function assertSessionLanguages(languages: readonly unknown[]): string[] {
  if (languages.length > MAX_SESSION_LANGUAGES) {
    throw new DomainError('LANGUAGE_INVALID', `A session declares at most ${MAX_SESSION_LANGUAGES} languages.`, 'languages');
  }
  const bad = languages.find((l) => typeof l !== 'string' || !LANGUAGE_CODE.test(l));
  if (bad !== undefined) {
    throw new DomainError('LANGUAGE_INVALID', 'A language is a code such as ar, fr or pt-BR.', 'languages');
  }
  const codes = languages as string[];
  if (new Set(codes).size !== codes.length) throw new DomainError('LANGUAGE_INVALID', 'A language is declared once.', 'languages');
  return [...codes];
}

/**
 * An interpreter's pair: two distinct languages, both declared by the session (interpretation
 * channels name only declared languages, so a pair outside them could never be heard).
 */
export function assertInterpreterPair(pair: readonly unknown[] | undefined | null, declared: readonly string[]): LanguagePair {
  if (!pair || pair.length !== 2) {
    throw new DomainError('LANGUAGE_INVALID', 'An interpreter works between two languages: give both.', 'languages');
  }
  const [a, b] = pair;
  if (typeof a !== 'string' || typeof b !== 'string' || !LANGUAGE_CODE.test(a) || !LANGUAGE_CODE.test(b)) {
    throw new DomainError('LANGUAGE_INVALID', 'A language is a code such as ar, fr or pt-BR.', 'languages');
  }
  if (a === b) throw new DomainError('LANGUAGE_INVALID', "An interpreter's two languages differ.", 'languages');
  if (!declared.includes(a) || !declared.includes(b)) {
    throw new DomainError('LANGUAGE_NOT_DECLARED', 'Both languages must be among the languages the session declares.', 'languages');
  }
  return [a, b];
}

/**
 * A change of the declared languages keeps every language an interpreter works in (a pair naming
 * an undeclared language would break the rule above after the fact), and every language a pending
 * interpreter invitation names (accepting it would seat such a pair): LANGUAGE_IN_USE otherwise,
 * saying which. The mediators revoke the invitation first if the language is to go.
 */
export function assertLanguagesKeepPairs(
  next: readonly string[],
  pairs: readonly (LanguagePair | null | undefined)[],
  invited: readonly (LanguagePair | null | undefined)[] = [],
): void {
  const dropped = pairs.flatMap((p) => p ?? []).find((l) => !next.includes(l));
  if (dropped !== undefined) {
    throw new DomainError('LANGUAGE_IN_USE', `An interpreter works in ${dropped}: it stays declared while they do.`, 'languages');
  }
  const awaited = invited.flatMap((p) => p ?? []).find((l) => !next.includes(l));
  if (awaited !== undefined) {
    throw new DomainError(
      'LANGUAGE_IN_USE',
      `A pending interpreter invitation names ${awaited}: revoke it first, or keep the language.`,
      'languages',
    );
  }
}
