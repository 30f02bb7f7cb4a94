/**
 * The segments strings of the negotiating text, in every language: spread into the catalogues
 * (apps/web/src/i18n/messages.*.ts), so French and Arabic must match English key for key.
 */
export const segmentsEn = {} as const;
export const segmentsFr: Record<keyof typeof segmentsEn, string> = {};
export const segmentsAr: Record<keyof typeof segmentsEn, string> = {};
