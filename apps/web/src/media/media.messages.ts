import { format } from '../i18n/format';
import type { Locale } from '../i18n/i18n';

/**
 * The media panel's own sentences, in every language, looked up by the page's language (English
 * when a key is missing). French and Arabic match English key for key (media.messages.spec.ts).
 */
export const mediaEn = {
  'media.speaking': 'speaking',
  'media.connectionFailed': 'The connection to the media server failed (the network between you and it, or a firewall).',
  'media.engine': 'Media server: {engine}',
} as const;

export type MediaMessageKey = keyof typeof mediaEn;

export const mediaFr: Record<MediaMessageKey, string> = {
  'media.speaking': 'parle',
  'media.connectionFailed': 'La connexion au serveur média a échoué (le réseau entre vous et lui, ou un pare-feu).',
  'media.engine': 'Serveur média : {engine}',
};

export const mediaAr: Record<MediaMessageKey, string> = {
  'media.speaking': 'يتحدث',
  'media.connectionFailed': 'فشل الاتصال بخادم الوسائط (الشبكة بينك وبينه، أو جدار حماية).',
  'media.engine': 'خادم الوسائط: {engine}',
};

const CATALOGUES: Record<Locale, Record<MediaMessageKey, string>> = { en: mediaEn, fr: mediaFr, ar: mediaAr };

/** A media sentence in `locale`, its `{name}` placeholders filled. */
export function mediaText(locale: Locale, key: MediaMessageKey, vars?: Record<string, string>): string {
  return format(CATALOGUES[locale]?.[key] ?? mediaEn[key], vars);
}
