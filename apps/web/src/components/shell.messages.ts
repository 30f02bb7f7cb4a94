import { format } from '../i18n/format';
import type { Locale } from '../i18n/i18n';

/**
 * The page frame's own sentences on a phone (the menu that holds the header's less urgent tools),
 * in every language, looked up by the page's language (English when a key is missing). French and
 * Arabic match English key for key (shell.messages.spec.ts).
 */
export const shellEn = {
  'shell.menu': 'Menu',
} as const;

export type ShellMessageKey = keyof typeof shellEn;

export const shellFr: Record<ShellMessageKey, string> = {
  'shell.menu': 'Menu',
};

export const shellAr: Record<ShellMessageKey, string> = {
  'shell.menu': 'القائمة',
};

const CATALOGUES: Record<Locale, Record<ShellMessageKey, string>> = { en: shellEn, fr: shellFr, ar: shellAr };

/** A frame sentence in `locale`. */
export function shellText(locale: Locale, key: ShellMessageKey, vars?: Record<string, string>): string {
  return format(CATALOGUES[locale]?.[key] ?? shellEn[key], vars);
}
