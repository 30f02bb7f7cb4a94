import { LANGUAGE_CODE } from '@parley/contracts';
import { format } from '../i18n/format';
import type { Locale } from '../i18n/i18n';

/**
 * Interpretation's sentences (the listening picker, an interpreter's controls) in every language,
 * looked up by the page's language (English when a key is missing). French and Arabic match English
 * key for key (interpretation.messages.spec.ts).
 */
export const interpretationEn = {
  'listen.label': 'Listening',
  'listen.floor': 'Floor',
  'listen.fallback': 'The {language} interpretation ended: you hear the floor.',
  'listen.alone': 'Audio only: you hear the {language} interpretation alone, without the floor underneath.',
  'interpret.label': 'Interpret into',
  'interpret.off': 'Not interpreting',
  'interpret.live': 'Live',
  'interpret.standby': 'Standby',
  'interpret.take': 'Take over',
  'interpret.failed': 'Not done:',
} as const;

export type InterpretationMessageKey = keyof typeof interpretationEn;

export const interpretationFr: Record<InterpretationMessageKey, string> = {
  'listen.label': 'Écoute',
  'listen.floor': 'Salle (original)',
  'listen.fallback': 'L’interprétation en {language} a pris fin : vous entendez la salle.',
  'listen.alone': 'Audio seulement : vous entendez l’interprétation en {language} seule, sans la salle en dessous.',
  'interpret.label': 'Interpréter vers',
  'interpret.off': 'Pas d’interprétation',
  'interpret.live': 'En direct',
  'interpret.standby': 'En attente',
  'interpret.take': 'Prendre le relais',
  'interpret.failed': 'Non effectué :',
};

export const interpretationAr: Record<InterpretationMessageKey, string> = {
  'listen.label': 'الاستماع',
  'listen.floor': 'القاعة',
  'listen.fallback': 'انتهت الترجمة إلى {language}: تسمع القاعة الآن.',
  'listen.alone': 'الصوت فقط: تسمع الترجمة إلى {language} وحدها، دون صوت القاعة.',
  'interpret.label': 'الترجمة إلى',
  'interpret.off': 'لا ترجمة',
  'interpret.live': 'على الهواء',
  'interpret.standby': 'في الانتظار',
  'interpret.take': 'تولي الدور',
  'interpret.failed': 'لم يتم:',
};

const CATALOGUES: Record<Locale, Record<InterpretationMessageKey, string>> = {
  en: interpretationEn,
  fr: interpretationFr,
  ar: interpretationAr,
};

/** An interpretation sentence in `locale`, its `{name}` placeholders filled. */
export function interpretationText(locale: Locale, key: InterpretationMessageKey, vars?: Record<string, string>): string {
  return format(CATALOGUES[locale]?.[key] ?? interpretationEn[key], vars);
}

/** A language's name in the reader's language (`fr` → "French", "français", "الفرنسية"); its code when the browser has no name for it. */
export function languageName(locale: Locale, code: string): string {
  // Only a code of the form sessions declare goes to Intl: for anything else, runtimes disagree
  // (Node 20's ICU read "zz-not-a-code" as the extended language "not" and named that; Node 24's
  // throws), and a name must not depend on the browser.
  if (!LANGUAGE_CODE.test(code)) return code;
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
