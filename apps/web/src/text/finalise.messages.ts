/**
 * The finalise strings of the negotiating text, in every language: spread into the catalogues
 * (apps/web/src/i18n/messages.*.ts), so French and Arabic must match English key for key.
 */
export const finaliseEn = {} as const;
export const finaliseFr: Record<keyof typeof finaliseEn, string> = {};
export const finaliseAr: Record<keyof typeof finaliseEn, string> = {};
