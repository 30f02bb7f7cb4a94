/**
 * The respondent page's own words, in its three languages. Kept apart from the app's catalogues
 * (apps/web/src/i18n/): the page loads nothing of the main client, so that a respondent on a phone
 * and a slow link downloads a few kilobytes. `{name}` placeholders are filled by `say`.
 */
const en = {
  title: 'Consultation',
  language: 'Language',
  loading: 'Loading…',
  group: 'Your group: {name}',
  'status.scheduled': 'Opens on {date}.',
  'status.open': 'Open until {date}.',
  'status.closed': 'This consultation is closed. Thank you for taking part.',
  excerpts: 'Texts published with the question',
  'start.title': 'Take part',
  'start.intro': 'No account is needed, and your name is never asked. You will get a return code to come back later.',
  'start.code': 'Your one-time code',
  'start.button': 'Start',
  'back.title': 'I have a return code',
  'back.code': 'Return code',
  'back.button': 'Continue',
  'code.title': 'Your return code',
  'code.keep': 'Write it down to come back: it is shown only now. This phone keeps it too.',
  'code.done': 'I have written it down',
  'write.title': 'Your statement',
  'write.hint': 'One short idea, in your own words. The mediators read every statement before others vote on it.',
  'write.label': 'Statement',
  'write.count': '{n} / {max} characters',
  'write.over': '{n} characters too many',
  'write.left': 'Statements you can still write: {n}',
  'write.none': 'You have written all the statements you can.',
  'write.send': 'Send',
  'write.sent': 'Sent. The mediators will read it.',
  'mine.title': 'Your statements',
  'mine.none': 'You have not written a statement yet.',
  'st.pending': 'Waiting for the mediators',
  'st.approved': 'Approved: others can vote on it',
  'st.rejected': 'Not kept: {reason}',
  'st.merged': 'Joined with a similar statement',
  'reason.off_topic': 'it is not about the question',
  'reason.abusive': 'it is abusive',
  'reason.identifies_someone': 'it could identify someone',
  'reason.unclear': 'it is unclear',
  'reason.other': 'another reason',
  'vote.title': 'Vote on what others wrote',
  'vote.progress': 'Statement {i} of {n}',
  'vote.agree': 'Agree',
  'vote.disagree': 'Disagree',
  'vote.pass': 'Pass / unsure',
  'vote.done': 'Vote recorded.',
  'vote.empty': 'Nothing to vote on now. Come back later: new statements arrive as the mediators approve them.',
  'vote.cast': 'Votes cast: {n}',
  forget: 'Forget my code on this phone',
  'err.prefix': 'Not done:',
  'err.unknown': 'Something went wrong. Try again in a moment.',
  'err.NETWORK': 'No connection. Check your network and try again.',
  'err.VALIDATION_FAILED': 'Something you entered is not valid. Check it and try again.',
  'err.RATE_LIMITED': 'Too many attempts. Wait a little and try again.',
  'err.PAYLOAD_TOO_LARGE': 'That is too long to send.',
  'err.DATABASE_UNAVAILABLE': 'The service is unavailable for a moment. Try again shortly.',
  'err.SERVER_STOPPING': 'The service is restarting. Try again shortly.',
  'err.CONSULTATION_NOT_FOUND': 'This consultation does not exist.',
  'err.CONSULTATION_LINK_UNKNOWN': 'This link is not valid. Check it with the people who gave it to you.',
  'err.CONSULTATION_NOT_OPEN': 'This consultation is not open yet.',
  'err.CONSULTATION_CLOSED': 'This consultation is closed: nothing more can be written or voted.',
  'err.RESPONDENT_CODE_REQUIRED': 'This consultation asks for a one-time code. Enter the code you were given.',
  'err.RESPONDENT_CODE_INVALID': 'This code is not valid. Check it and try again.',
  'err.RESPONDENT_CODE_USED': 'This one-time code has already been used. If it was you, use your return code.',
  'err.RESPONDENT_UNKNOWN': 'This return code is not known here. Check it, or start again.',
  'err.STATEMENT_NOT_FOUND': 'This statement is no longer there.',
  'err.STATEMENT_LIMIT_REACHED': 'You have written all the statements you can.',
  'err.VOTE_ALREADY_CAST': 'You have already voted on this statement.',
  'err.VOTE_OWN_STATEMENT': 'You cannot vote on your own statement.',
} as const;

export type ConsultKey = keyof typeof en;
type Strings = Record<ConsultKey, string>;

const fr: Strings = {
  title: 'Consultation',
  language: 'Langue',
  loading: 'Chargement…',
  group: 'Votre groupe : {name}',
  'status.scheduled': 'Ouvre le {date}.',
  'status.open': 'Ouverte jusqu’au {date}.',
  'status.closed': 'Cette consultation est close. Merci de votre participation.',
  excerpts: 'Textes publiés avec la question',
  'start.title': 'Participer',
  'start.intro': 'Aucun compte n’est nécessaire et votre nom n’est jamais demandé. Vous recevrez un code de retour pour revenir plus tard.',
  'start.code': 'Votre code à usage unique',
  'start.button': 'Commencer',
  'back.title': 'J’ai un code de retour',
  'back.code': 'Code de retour',
  'back.button': 'Continuer',
  'code.title': 'Votre code de retour',
  'code.keep': 'Notez-le pour revenir : il n’est affiché que maintenant. Ce téléphone le garde aussi.',
  'code.done': 'Je l’ai noté',
  'write.title': 'Votre contribution',
  'write.hint': 'Une idée courte, avec vos propres mots. Les médiateurs lisent chaque contribution avant que d’autres votent.',
  'write.label': 'Contribution',
  'write.count': '{n} / {max} caractères',
  'write.over': '{n} caractères de trop',
  'write.left': 'Contributions que vous pouvez encore écrire : {n}',
  'write.none': 'Vous avez écrit toutes les contributions possibles.',
  'write.send': 'Envoyer',
  'write.sent': 'Envoyée. Les médiateurs vont la lire.',
  'mine.title': 'Vos contributions',
  'mine.none': 'Vous n’avez encore rien écrit.',
  'st.pending': 'En attente des médiateurs',
  'st.approved': 'Acceptée : les autres peuvent voter',
  'st.rejected': 'Non retenue : {reason}',
  'st.merged': 'Réunie avec une contribution semblable',
  'reason.off_topic': 'elle ne porte pas sur la question',
  'reason.abusive': 'elle est injurieuse',
  'reason.identifies_someone': 'elle pourrait identifier quelqu’un',
  'reason.unclear': 'elle n’est pas claire',
  'reason.other': 'une autre raison',
  'vote.title': 'Votez sur ce que d’autres ont écrit',
  'vote.progress': 'Contribution {i} sur {n}',
  'vote.agree': 'D’accord',
  'vote.disagree': 'Pas d’accord',
  'vote.pass': 'Passer / je ne sais pas',
  'vote.done': 'Vote enregistré.',
  'vote.empty': 'Rien à voter pour l’instant. Revenez plus tard : de nouvelles contributions arrivent quand les médiateurs les acceptent.',
  'vote.cast': 'Votes exprimés : {n}',
  forget: 'Oublier mon code sur ce téléphone',
  'err.prefix': 'Non effectué :',
  'err.unknown': 'Un problème est survenu. Réessayez dans un instant.',
  'err.NETWORK': 'Pas de connexion. Vérifiez votre réseau et réessayez.',
  'err.VALIDATION_FAILED': 'Une saisie n’est pas valable. Vérifiez-la et réessayez.',
  'err.RATE_LIMITED': 'Trop de tentatives. Patientez un peu et réessayez.',
  'err.PAYLOAD_TOO_LARGE': 'C’est trop long pour être envoyé.',
  'err.DATABASE_UNAVAILABLE': 'Le service est momentanément indisponible. Réessayez bientôt.',
  'err.SERVER_STOPPING': 'Le service redémarre. Réessayez bientôt.',
  'err.CONSULTATION_NOT_FOUND': 'Cette consultation n’existe pas.',
  'err.CONSULTATION_LINK_UNKNOWN': 'Ce lien n’est pas valable. Vérifiez-le auprès des personnes qui vous l’ont donné.',
  'err.CONSULTATION_NOT_OPEN': 'Cette consultation n’est pas encore ouverte.',
  'err.CONSULTATION_CLOSED': 'Cette consultation est close : on ne peut plus écrire ni voter.',
  'err.RESPONDENT_CODE_REQUIRED': 'Cette consultation demande un code à usage unique. Saisissez le code reçu.',
  'err.RESPONDENT_CODE_INVALID': 'Ce code n’est pas valable. Vérifiez-le et réessayez.',
  'err.RESPONDENT_CODE_USED': 'Ce code à usage unique a déjà servi. Si c’était vous, utilisez votre code de retour.',
  'err.RESPONDENT_UNKNOWN': 'Ce code de retour est inconnu ici. Vérifiez-le, ou recommencez.',
  'err.STATEMENT_NOT_FOUND': 'Cette contribution n’existe plus.',
  'err.STATEMENT_LIMIT_REACHED': 'Vous avez écrit toutes les contributions possibles.',
  'err.VOTE_ALREADY_CAST': 'Vous avez déjà voté sur cette contribution.',
  'err.VOTE_OWN_STATEMENT': 'Vous ne pouvez pas voter sur votre propre contribution.',
};

const ar: Strings = {
  title: 'استشارة',
  language: 'اللغة',
  loading: 'جارٍ التحميل…',
  group: 'مجموعتك: {name}',
  'status.scheduled': 'تُفتح في {date}.',
  'status.open': 'مفتوحة حتى {date}.',
  'status.closed': 'أُغلقت هذه الاستشارة. شكرًا لمشاركتك.',
  excerpts: 'نصوص منشورة مع السؤال',
  'start.title': 'شارك',
  'start.intro': 'لا حاجة إلى حساب، ولن يُطلب اسمك أبدًا. ستحصل على رمز عودة لترجع لاحقًا.',
  'start.code': 'رمزك الصالح لمرة واحدة',
  'start.button': 'ابدأ',
  'back.title': 'لديّ رمز عودة',
  'back.code': 'رمز العودة',
  'back.button': 'متابعة',
  'code.title': 'رمز العودة الخاص بك',
  'code.keep': 'اكتبه لتتمكن من العودة: لن يظهر إلا الآن. ويحتفظ به هذا الهاتف أيضًا.',
  'code.done': 'كتبته',
  'write.title': 'رأيك',
  'write.hint': 'فكرة واحدة قصيرة بكلماتك. يقرأ الوسطاء كل رأي قبل أن يصوّت عليه الآخرون.',
  'write.label': 'الرأي',
  'write.count': '{n} / {max} حرفًا',
  'write.over': 'زيادة {n} حرفًا',
  'write.left': 'عدد الآراء التي يمكنك كتابتها بعد: {n}',
  'write.none': 'كتبت كل الآراء المتاحة لك.',
  'write.send': 'إرسال',
  'write.sent': 'أُرسل. سيقرؤه الوسطاء.',
  'mine.title': 'آراؤك',
  'mine.none': 'لم تكتب أي رأي بعد.',
  'st.pending': 'بانتظار الوسطاء',
  'st.approved': 'مقبول: يمكن للآخرين التصويت عليه',
  'st.rejected': 'لم يُقبل: {reason}',
  'st.merged': 'دُمج مع رأي مشابه',
  'reason.off_topic': 'لا يتعلق بالسؤال',
  'reason.abusive': 'فيه إساءة',
  'reason.identifies_someone': 'قد يكشف هوية شخص ما',
  'reason.unclear': 'غير واضح',
  'reason.other': 'سبب آخر',
  'vote.title': 'صوّت على ما كتبه الآخرون',
  'vote.progress': 'الرأي {i} من {n}',
  'vote.agree': 'أوافق',
  'vote.disagree': 'لا أوافق',
  'vote.pass': 'تخطٍّ / لست متأكدًا',
  'vote.done': 'سُجّل صوتك.',
  'vote.empty': 'لا شيء للتصويت الآن. عد لاحقًا: تصل آراء جديدة كلما قبلها الوسطاء.',
  'vote.cast': 'الأصوات المُدلى بها: {n}',
  forget: 'انسَ رمزي على هذا الهاتف',
  'err.prefix': 'لم يتم:',
  'err.unknown': 'حدث خطأ. حاول مرة أخرى بعد قليل.',
  'err.NETWORK': 'لا يوجد اتصال. تحقق من الشبكة وحاول مرة أخرى.',
  'err.VALIDATION_FAILED': 'بعض ما أدخلته غير صالح. تحقق منه وحاول مرة أخرى.',
  'err.RATE_LIMITED': 'محاولات كثيرة جدًا. انتظر قليلًا ثم حاول مرة أخرى.',
  'err.PAYLOAD_TOO_LARGE': 'النص أطول من أن يُرسل.',
  'err.DATABASE_UNAVAILABLE': 'الخدمة غير متاحة للحظات. حاول مرة أخرى قريبًا.',
  'err.SERVER_STOPPING': 'يُعاد تشغيل الخدمة. حاول مرة أخرى قريبًا.',
  'err.CONSULTATION_NOT_FOUND': 'هذه الاستشارة غير موجودة.',
  'err.CONSULTATION_LINK_UNKNOWN': 'هذا الرابط غير صالح. تحقق منه مع من أعطاك إياه.',
  'err.CONSULTATION_NOT_OPEN': 'لم تُفتح هذه الاستشارة بعد.',
  'err.CONSULTATION_CLOSED': 'أُغلقت هذه الاستشارة: لم يعد ممكنًا الكتابة أو التصويت.',
  'err.RESPONDENT_CODE_REQUIRED': 'تتطلب هذه الاستشارة رمزًا صالحًا لمرة واحدة. أدخل الرمز الذي أُعطي لك.',
  'err.RESPONDENT_CODE_INVALID': 'هذا الرمز غير صالح. تحقق منه وحاول مرة أخرى.',
  'err.RESPONDENT_CODE_USED': 'استُخدم هذا الرمز من قبل. إن كنت أنت، فاستخدم رمز العودة.',
  'err.RESPONDENT_UNKNOWN': 'رمز العودة هذا غير معروف هنا. تحقق منه أو ابدأ من جديد.',
  'err.STATEMENT_NOT_FOUND': 'لم يعد هذا الرأي موجودًا.',
  'err.STATEMENT_LIMIT_REACHED': 'كتبت كل الآراء المتاحة لك.',
  'err.VOTE_ALREADY_CAST': 'سبق أن صوّتّ على هذا الرأي.',
  'err.VOTE_OWN_STATEMENT': 'لا يمكنك التصويت على رأيك.',
};

export const LANGS = {
  en: { name: 'English', dir: 'ltr' },
  fr: { name: 'Français', dir: 'ltr' },
  ar: { name: 'العربية', dir: 'rtl' },
} as const;
export type Lang = keyof typeof LANGS;
export const STRINGS: Record<Lang, Strings> = { en, fr, ar };

export const isLang = (l: string): l is Lang => l in LANGS;

/** A string of this page in `lang`, its placeholders filled. */
export function say(lang: Lang, key: ConsultKey, vars: Record<string, string | number> = {}): string {
  return STRINGS[lang][key].replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** The sentence for an API refusal (its code) in `lang`; a code this page does not know reads as a plain failure. */
export function errorText(lang: Lang, code: string): string {
  const key = `err.${code}`;
  return key in en ? STRINGS[lang][key as ConsultKey] : STRINGS[lang]['err.unknown'];
}

/**
 * The page's language: the first of the reader's languages (`navigator.languages`, by their
 * primary subtag) that the consultation is run in and this page speaks; else the consultation's
 * first such language; else English. A choice made with the switcher (`saved`) wins while it is
 * one of the consultation's.
 */
export function pickLanguage(consultation: readonly string[], reader: readonly string[], saved: string | null): Lang {
  const offered = consultation.map((l) => l.toLowerCase().split('-')[0]).filter(isLang);
  if (saved && isLang(saved) && offered.includes(saved)) return saved;
  for (const r of reader) {
    const primary = r.toLowerCase().split('-')[0];
    if (isLang(primary) && offered.includes(primary)) return primary;
  }
  return offered[0] ?? 'en';
}

/** The languages the switcher offers: the consultation's that this page speaks (English when none). */
export function offeredLanguages(consultation: readonly string[]): Lang[] {
  const offered = [...new Set(consultation.map((l) => l.toLowerCase().split('-')[0]).filter(isLang))];
  return offered.length ? offered : ['en'];
}
