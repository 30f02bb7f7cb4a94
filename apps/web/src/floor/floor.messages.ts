import { format } from '../i18n/format';
import type { Locale } from '../i18n/i18n';

/**
 * The floor's sentences (hands, the mediator's clock, who is speaking), in every language, looked
 * up by the page's language (English when a key is missing). French and Arabic match English key
 * for key (floor.messages.spec.ts).
 */
export const floorEn = {
  'floor.raise': 'Raise hand',
  'floor.lower': 'Lower hand',
  'floor.yourPlace': 'Your hand is up: number {n} in the queue.',
  'floor.hands': 'Hands up',
  'floor.noHands': 'No hand up.',
  'floor.lowerOf': 'Lower',
  'floor.lowerOfAria': 'Lower the hand of {name}',
  'floor.speaking': 'Speaking: {name}',
  'floor.someone': 'Someone',
  'floor.purpose.speaking': 'Speaking time',
  'floor.purpose.break': 'Break',
  'floor.purpose.other': 'Clock',
  'floor.left': '{what}: {time} left',
  'floor.up': '{what}: time is up',
  'floor.timeUp': 'Time is up',
  'floor.minutesLeft': '{n} minutes left',
  'floor.oneMinuteLeft': '1 minute left',
  'floor.secondsLeft': '{n} seconds left',
  'floor.clockFor': 'Clock for {room}',
  'floor.minutes': 'Minutes',
  'floor.seconds': 'Seconds',
  'floor.for': 'Purpose',
  'floor.label': 'Label (optional)',
  'floor.start': 'Start the clock',
  'floor.startAria': 'Start the clock in {room}',
  'floor.stop': 'Stop the clock',
  'floor.stopAria': 'Stop the clock in {room}',
  'floor.badDuration': 'Choose a time from 1 second to 24 hours.',
  'floor.floorOf': 'Floor of {room}',
} as const;

export type FloorMessageKey = keyof typeof floorEn;

export const floorFr: Record<FloorMessageKey, string> = {
  'floor.raise': 'Lever la main',
  'floor.lower': 'Baisser la main',
  'floor.yourPlace': 'Votre main est levée : numéro {n} dans la file.',
  'floor.hands': 'Mains levées',
  'floor.noHands': 'Aucune main levée.',
  'floor.lowerOf': 'Baisser',
  'floor.lowerOfAria': 'Baisser la main de {name}',
  'floor.speaking': 'Parle : {name}',
  'floor.someone': 'Quelqu’un',
  'floor.purpose.speaking': 'Temps de parole',
  'floor.purpose.break': 'Pause',
  'floor.purpose.other': 'Minuteur',
  'floor.left': '{what} : reste {time}',
  'floor.up': '{what} : le temps est écoulé',
  'floor.timeUp': 'Le temps est écoulé',
  'floor.minutesLeft': 'Reste {n} minutes',
  'floor.oneMinuteLeft': 'Reste 1 minute',
  'floor.secondsLeft': 'Reste {n} secondes',
  'floor.clockFor': 'Minuteur de {room}',
  'floor.minutes': 'Minutes',
  'floor.seconds': 'Secondes',
  'floor.for': 'Objet',
  'floor.label': 'Libellé (facultatif)',
  'floor.start': 'Lancer le minuteur',
  'floor.startAria': 'Lancer le minuteur dans {room}',
  'floor.stop': 'Arrêter le minuteur',
  'floor.stopAria': 'Arrêter le minuteur dans {room}',
  'floor.badDuration': 'Choisissez une durée d’une seconde à 24 heures.',
  'floor.floorOf': 'Parole dans {room}',
};

export const floorAr: Record<FloorMessageKey, string> = {
  'floor.raise': 'رفع اليد',
  'floor.lower': 'خفض اليد',
  'floor.yourPlace': 'يدك مرفوعة: رقم {n} في الدور.',
  'floor.hands': 'الأيدي المرفوعة',
  'floor.noHands': 'لا توجد يد مرفوعة.',
  'floor.lowerOf': 'خفض',
  'floor.lowerOfAria': 'خفض يد {name}',
  'floor.speaking': 'يتحدث الآن: {name}',
  'floor.someone': 'أحد المشاركين',
  'floor.purpose.speaking': 'وقت الكلام',
  'floor.purpose.break': 'استراحة',
  'floor.purpose.other': 'المؤقت',
  'floor.left': '{what}: يتبقى {time}',
  'floor.up': '{what}: انتهى الوقت',
  'floor.timeUp': 'انتهى الوقت',
  'floor.minutesLeft': 'يتبقى {n} دقائق',
  'floor.oneMinuteLeft': 'تتبقى دقيقة واحدة',
  'floor.secondsLeft': 'يتبقى {n} ثانية',
  'floor.clockFor': 'مؤقت {room}',
  'floor.minutes': 'الدقائق',
  'floor.seconds': 'الثواني',
  'floor.for': 'الغرض',
  'floor.label': 'عنوان (اختياري)',
  'floor.start': 'تشغيل المؤقت',
  'floor.startAria': 'تشغيل المؤقت في {room}',
  'floor.stop': 'إيقاف المؤقت',
  'floor.stopAria': 'إيقاف المؤقت في {room}',
  'floor.badDuration': 'اختر مدة من ثانية واحدة إلى 24 ساعة.',
  'floor.floorOf': 'الكلمة في {room}',
};

const CATALOGUES: Record<Locale, Record<FloorMessageKey, string>> = { en: floorEn, fr: floorFr, ar: floorAr };

/** A floor sentence in `locale`, its placeholders filled. */
export function floorText(locale: Locale, key: FloorMessageKey, vars?: Record<string, string | number>): string {
  return format(CATALOGUES[locale]?.[key] ?? floorEn[key], vars);
}
