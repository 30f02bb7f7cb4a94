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
  'media.shareScreen': 'Share screen',
  'media.stopSharing': 'Stop sharing',
  'media.shareFailed': 'Screen sharing did not start (cancelled, or not allowed by the browser).',
  'media.screenOf': "{name}'s screen",
  'media.yourScreen': 'Your screen',
  'media.micOffMark': 'Microphone off',
  'media.cameraOffMark': 'Camera off',
  'media.enlarge': 'Enlarge {name}',
  'media.lowBandwidth': 'Your connection is too weak for video: switched to audio only. Chat, messages and the text keep working.',
  'media.lowBandwidthUndo': 'Restore video',
  'media.lowVideo': 'Lower video quality',
  'media.lowVideoByPage': 'Video quality lowered: your connection is losing packets.',
  'media.uplinkThin':
    'Your connection is too slow to send video: others hear you, and see your camera off. Chat, messages and the text keep working.',
  'media.uplinkThinUndo': 'Send my video again',
} as const;

export type MediaMessageKey = keyof typeof mediaEn;

export const mediaFr: Record<MediaMessageKey, string> = {
  'media.speaking': 'parle',
  'media.connectionFailed': 'La connexion au serveur média a échoué (le réseau entre vous et lui, ou un pare-feu).',
  'media.engine': 'Serveur média : {engine}',
  'media.shareScreen': 'Partager l’écran',
  'media.stopSharing': 'Arrêter le partage',
  'media.shareFailed': 'Le partage d’écran n’a pas démarré (annulé, ou refusé par le navigateur).',
  'media.screenOf': 'Écran de {name}',
  'media.yourScreen': 'Votre écran',
  'media.micOffMark': 'Micro coupé',
  'media.cameraOffMark': 'Caméra coupée',
  'media.enlarge': 'Agrandir {name}',
  'media.lowBandwidth':
    'Votre connexion est trop faible pour la vidéo : passage en audio seul. Le chat, les messages et le texte continuent de fonctionner.',
  'media.lowBandwidthUndo': 'Rétablir la vidéo',
  'media.lowVideo': 'Qualité vidéo réduite',
  'media.lowVideoByPage': 'Qualité vidéo réduite : votre connexion perd des paquets.',
  'media.uplinkThin':
    'Votre connexion est trop lente pour envoyer de la vidéo : on vous entend, et votre caméra apparaît coupée. Le chat, les messages et le texte continuent de fonctionner.',
  'media.uplinkThinUndo': 'Renvoyer ma vidéo',
};

export const mediaAr: Record<MediaMessageKey, string> = {
  'media.speaking': 'يتحدث',
  'media.connectionFailed': 'فشل الاتصال بخادم الوسائط (الشبكة بينك وبينه، أو جدار حماية).',
  'media.engine': 'خادم الوسائط: {engine}',
  'media.shareScreen': 'مشاركة الشاشة',
  'media.stopSharing': 'إيقاف المشاركة',
  'media.shareFailed': 'لم تبدأ مشاركة الشاشة (أُلغيت، أو رفضها المتصفح).',
  'media.screenOf': 'شاشة {name}',
  'media.yourScreen': 'شاشتك',
  'media.micOffMark': 'الميكروفون مغلق',
  'media.cameraOffMark': 'الكاميرا مغلقة',
  'media.enlarge': 'تكبير {name}',
  'media.lowBandwidth': 'اتصالك أضعف من أن يحمل الفيديو: تم التحويل إلى الصوت فقط. تبقى الدردشة والرسائل والنص تعمل.',
  'media.lowBandwidthUndo': 'استعادة الفيديو',
  'media.lowVideo': 'جودة فيديو أقل',
  'media.lowVideoByPage': 'تم خفض جودة الفيديو: اتصالك يفقد حزمًا.',
  'media.uplinkThin': 'اتصالك أبطأ من أن يرسل الفيديو: يسمعك الآخرون وتظهر كاميرتك مغلقة. تبقى الدردشة والرسائل والنص تعمل.',
  'media.uplinkThinUndo': 'إرسال الفيديو مجددًا',
};

const CATALOGUES: Record<Locale, Record<MediaMessageKey, string>> = { en: mediaEn, fr: mediaFr, ar: mediaAr };

/** A media sentence in `locale`, its `{name}` placeholders filled. */
export function mediaText(locale: Locale, key: MediaMessageKey, vars?: Record<string, string>): string {
  return format(CATALOGUES[locale]?.[key] ?? mediaEn[key], vars);
}
