/**
 * The editor strings of the negotiating text, in every language: spread into the catalogues
 * (apps/web/src/i18n/messages.*.ts), so French and Arabic must match English key for key.
 */
export const editorEn = {} as const;
export const editorFr: Record<keyof typeof editorEn, string> = {};
export const editorAr: Record<keyof typeof editorEn, string> = {};
