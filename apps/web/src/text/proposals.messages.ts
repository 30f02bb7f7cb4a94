/**
 * The proposals strings of the negotiating text, in every language: spread into the catalogues
 * (apps/web/src/i18n/messages.*.ts), so French and Arabic must match English key for key.
 */
export const proposalsEn = {} as const;
export const proposalsFr: Record<keyof typeof proposalsEn, string> = {};
export const proposalsAr: Record<keyof typeof proposalsEn, string> = {};
