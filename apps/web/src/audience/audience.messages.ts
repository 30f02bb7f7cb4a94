import { format } from '../i18n/format';

/**
 * The "who can see this?" lines, in every language, looked up by the page's language. A count is
 * a set of plural forms chosen with Intl.PluralRules for that language (Arabic has six: zero, one,
 * two, few, many, other; French counts 0 and 1 as one). French and Arabic match English key for
 * key and form for form (audience.messages.spec.ts).
 */
/** The page's languages (i18n.tsx's Locale; kept here so the server's tests can load these sentences without JSX). */
export type Locale = 'en' | 'fr' | 'ar';

type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

export const audienceEn = {
  'audience.prefix': 'Who can see this: {who}',
  'audience.everyone': 'everyone in the plenary',
  'audience.everyoneWith': 'everyone in the plenary, including {observers}',
  'audience.everyoneText': 'everyone in the session, including {observers} (observers see the text as tabled, without marks or support)',
  'audience.negotiators': 'every delegation and the mediators, no observer',
  'audience.ownDelegation': 'your delegation and the mediators',
  'audience.delegation': "{party}'s delegation and the mediators",
  'audience.delegations': 'the delegations of {parties}, and the mediators',
  'audience.members': 'the {people} this joint room names, and the mediators',
  'audience.mediators': 'only the mediators',
  'audience.nobody': 'nobody else',
  'audience.ifConveyed': '{who} — {party} sees it only if the mediator conveys it',
  'audience.neverConveyed': '{who} — never another party',
  'audience.inCaucus': '{who} (your delegation while in its caucus)',
  'audience.andInterpreters': '{who}, and {interpreters}',
} as const;

export type AudienceMessageKey = keyof typeof audienceEn;

export const audiencePluralsEn: Record<'observers' | 'people' | 'interpreters', Plural> = {
  observers: { one: '{n} observer', other: '{n} observers' },
  people: { one: '{n} person', other: '{n} people' },
  interpreters: { one: '{n} interpreter', other: '{n} interpreters' },
};

export type AudienceCount = keyof typeof audiencePluralsEn;

export const audienceFr: Record<AudienceMessageKey, string> = {
  'audience.prefix': 'Qui peut voir ceci : {who}',
  'audience.everyone': 'toute la plénière',
  'audience.everyoneWith': 'toute la plénière, y compris {observers}',
  'audience.everyoneText':
    'toute la session, y compris {observers} (les observateurs voient le texte tel que déposé, sans marques ni soutiens)',
  'audience.negotiators': 'chaque délégation et les médiateurs, aucun observateur',
  'audience.ownDelegation': 'votre délégation et les médiateurs',
  'audience.delegation': 'la délégation {party} et les médiateurs',
  'audience.delegations': 'les délégations {parties}, et les médiateurs',
  'audience.members': 'les {people} que nomme cette salle commune, et les médiateurs',
  'audience.mediators': 'seulement les médiateurs',
  'audience.nobody': 'personne d’autre',
  'audience.ifConveyed': '{who} — {party} ne le voit que si le médiateur le transmet',
  'audience.neverConveyed': '{who} — jamais une autre partie',
  'audience.inCaucus': '{who} (votre délégation quand elle est dans son caucus)',
  'audience.andInterpreters': '{who}, et {interpreters}',
};

export const audiencePluralsFr: typeof audiencePluralsEn = {
  observers: { one: '{n} observateur', other: '{n} observateurs' },
  people: { one: '{n} personne', other: '{n} personnes' },
  interpreters: { one: '{n} interprète', other: '{n} interprètes' },
};

export const audienceAr: Record<AudienceMessageKey, string> = {
  'audience.prefix': 'من يستطيع رؤية هذا: {who}',
  'audience.everyone': 'كل من في الجلسة العامة',
  'audience.everyoneWith': 'كل من في الجلسة العامة، بمن فيهم {observers}',
  'audience.everyoneText': 'كل من في الجلسة، بمن فيهم {observers} (يرى المراقبون النص كما طُرح، دون العلامات أو التأييد)',
  'audience.negotiators': 'كل الوفود والوسطاء، دون أي مراقب',
  'audience.ownDelegation': 'وفدك والوسطاء',
  'audience.delegation': 'وفد {party} والوسطاء',
  'audience.delegations': 'وفود {parties}، والوسطاء',
  'audience.members': '{people} تسميهم هذه القاعة المشتركة، والوسطاء',
  'audience.mediators': 'الوسطاء فقط',
  'audience.nobody': 'لا أحد غيرك',
  'audience.ifConveyed': '{who} — لا يراه {party} إلا إذا نقله الوسيط',
  'audience.neverConveyed': '{who} — ولا يصل أبدًا إلى طرف آخر',
  'audience.inCaucus': '{who} (وفدك ما دام في غرفته الخاصة)',
  'audience.andInterpreters': '{who}، و{interpreters}',
};

export const audiencePluralsAr: typeof audiencePluralsEn = {
  observers: {
    zero: 'لا مراقب',
    one: 'مراقب واحد',
    two: 'مراقبان',
    few: '{n} مراقبين',
    many: '{n} مراقبًا',
    other: '{n} مراقب',
  },
  people: {
    zero: 'لا أحد',
    one: 'شخص واحد',
    two: 'شخصان',
    few: '{n} أشخاص',
    many: '{n} شخصًا',
    other: '{n} شخص',
  },
  interpreters: {
    zero: 'لا مترجم',
    one: 'مترجم واحد',
    two: 'مترجمان',
    few: '{n} مترجمين',
    many: '{n} مترجمًا',
    other: '{n} مترجم',
  },
};

const CATALOGUES: Record<Locale, Record<AudienceMessageKey, string>> = { en: audienceEn, fr: audienceFr, ar: audienceAr };
const PLURALS: Record<Locale, typeof audiencePluralsEn> = { en: audiencePluralsEn, fr: audiencePluralsFr, ar: audiencePluralsAr };

/** A count in `locale`'s words: the plural form Intl.PluralRules picks for `n` (Arabic: 0, 1, 2, 3-10, 11-99, 100+). */
export function audienceCount(locale: Locale, what: AudienceCount, n: number): string {
  const forms: Plural = PLURALS[locale]?.[what] ?? audiencePluralsEn[what];
  const form = new Intl.PluralRules(locale).select(n);
  return format(forms[form] ?? forms.other, { n: String(n) });
}

/** A line's sentence in `locale`, its `{name}` placeholders filled. */
export function audienceText(locale: Locale, key: AudienceMessageKey, vars?: Record<string, string>): string {
  return format(CATALOGUES[locale]?.[key] ?? audienceEn[key], vars);
}
