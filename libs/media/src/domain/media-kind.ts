/** What a participant sends: microphone, camera, or a shared screen. */
export const MEDIA_KINDS = ['audio', 'video', 'screen'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];
