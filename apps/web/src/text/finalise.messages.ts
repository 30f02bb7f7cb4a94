/**
 * The finalise strings of the negotiating text, in every language: spread into the catalogues
 * (apps/web/src/i18n/messages.*.ts), so French and Arabic must match English key for key.
 * `finalise.brackets.*` are plural forms, chosen with Intl.PluralRules for the reader's language.
 */
export const finaliseEn = {
  'finalise.title': 'Before the text can be finalised',
  'finalise.notAgreed': '{party} has not agreed',
  'finalise.adReferendum': '{party} agreed ad referendum',
  'finalise.reasonSeparator': '; ',
  'finalise.brackets.zero': '{n} brackets still open.',
  'finalise.brackets.one': '{n} bracket still open: resolve it before the parties can agree the clause.',
  'finalise.brackets.two': '{n} brackets still open: resolve them before the parties can agree the clause.',
  'finalise.brackets.few': '{n} brackets still open: resolve them before the parties can agree the clause.',
  'finalise.brackets.many': '{n} brackets still open: resolve them before the parties can agree the clause.',
  'finalise.brackets.other': '{n} brackets still open: resolve them before the parties can agree the clause.',
  'finalise.noParties': 'Not agreed: the session has no party to agree it.',
  'finalise.allAgreed': 'Every clause is agreed by every party.',
  'finalise.noClauses': 'The text has no clause yet: there is nothing to finalise.',
  'finalise.finalise': 'Finalise the text',
  'finalise.delete': 'Delete clause',
  'finalise.deleteTitle': 'Delete clause {n}?',
  'finalise.deleteIntro':
    'The clause leaves the text for everyone, and the clauses after it are renumbered; its versions stay in the history. Type your password again to confirm.',
  'finalise.password': 'Your password',
  'finalise.deleteConfirm': 'Delete clause {n}',
  'finalise.keep': 'Keep it',
  'finalise.wrongPassword': 'That password is not right: nothing was deleted. Type it again.',
} as const;

export const finaliseFr: Record<keyof typeof finaliseEn, string> = {
  'finalise.title': 'Avant de pouvoir arrêter le texte',
  'finalise.notAgreed': '{party} n’a pas donné son accord',
  'finalise.adReferendum': '{party} a donné son accord ad referendum',
  'finalise.reasonSeparator': ' ; ',
  'finalise.brackets.zero': '{n} crochet encore ouvert.',
  'finalise.brackets.one': '{n} crochet encore ouvert : à trancher avant que les parties puissent convenir de la clause.',
  'finalise.brackets.two': '{n} crochets encore ouverts : à trancher avant que les parties puissent convenir de la clause.',
  'finalise.brackets.few': '{n} crochets encore ouverts : à trancher avant que les parties puissent convenir de la clause.',
  'finalise.brackets.many': '{n} crochets encore ouverts : à trancher avant que les parties puissent convenir de la clause.',
  'finalise.brackets.other': '{n} crochets encore ouverts : à trancher avant que les parties puissent convenir de la clause.',
  'finalise.noParties': 'Non convenue : la session n’a aucune partie pour en convenir.',
  'finalise.allAgreed': 'Chaque clause est convenue par chaque partie.',
  'finalise.noClauses': 'Le texte n’a encore aucune clause : il n’y a rien à arrêter.',
  'finalise.finalise': 'Arrêter le texte',
  'finalise.delete': 'Supprimer la clause',
  'finalise.deleteTitle': 'Supprimer la clause {n} ?',
  'finalise.deleteIntro':
    'La clause quitte le texte pour tous et les clauses suivantes sont renumérotées ; ses versions restent dans l’historique. Saisissez à nouveau votre mot de passe pour confirmer.',
  'finalise.password': 'Votre mot de passe',
  'finalise.deleteConfirm': 'Supprimer la clause {n}',
  'finalise.keep': 'La garder',
  'finalise.wrongPassword': 'Ce mot de passe n’est pas le bon : rien n’a été supprimé. Saisissez-le à nouveau.',
};

export const finaliseAr: Record<keyof typeof finaliseEn, string> = {
  'finalise.title': 'قبل أن يمكن اعتماد النص النهائي',
  'finalise.notAgreed': '{party}: لم يوافق بعد',
  'finalise.adReferendum': '{party}: وافق رهن الاستشارة (ad referendum)',
  'finalise.reasonSeparator': '؛ ',
  'finalise.brackets.zero': 'المقاطع بين معقوفين التي لم تُحسم بعد: {n}. يجب حسمها قبل أن تتمكن الأطراف من الموافقة على البند.',
  'finalise.brackets.one': 'المقاطع بين معقوفين التي لم تُحسم بعد: {n}. يجب حسمها قبل أن تتمكن الأطراف من الموافقة على البند.',
  'finalise.brackets.two': 'المقاطع بين معقوفين التي لم تُحسم بعد: {n}. يجب حسمها قبل أن تتمكن الأطراف من الموافقة على البند.',
  'finalise.brackets.few': 'المقاطع بين معقوفين التي لم تُحسم بعد: {n}. يجب حسمها قبل أن تتمكن الأطراف من الموافقة على البند.',
  'finalise.brackets.many': 'المقاطع بين معقوفين التي لم تُحسم بعد: {n}. يجب حسمها قبل أن تتمكن الأطراف من الموافقة على البند.',
  'finalise.brackets.other': 'المقاطع بين معقوفين التي لم تُحسم بعد: {n}. يجب حسمها قبل أن تتمكن الأطراف من الموافقة على البند.',
  'finalise.noParties': 'غير متفق عليه: لا أطراف في الجلسة للموافقة عليه.',
  'finalise.allAgreed': 'كل بند متفق عليه من جميع الأطراف.',
  'finalise.noClauses': 'لا يتضمن النص أي بند بعد: لا شيء لاعتماده.',
  'finalise.finalise': 'اعتماد النص النهائي',
  'finalise.delete': 'حذف البند',
  'finalise.deleteTitle': 'حذف البند {n}؟',
  'finalise.deleteIntro':
    'يُزال البند من النص لدى الجميع ويُعاد ترقيم البنود التي تليه، وتبقى صيغه في السجل. أدخل كلمة المرور مرة أخرى للتأكيد.',
  'finalise.password': 'كلمة المرور',
  'finalise.deleteConfirm': 'حذف البند {n}',
  'finalise.keep': 'الإبقاء عليه',
  'finalise.wrongPassword': 'كلمة المرور هذه غير صحيحة: لم يُحذف شيء. أعد إدخالها.',
};
