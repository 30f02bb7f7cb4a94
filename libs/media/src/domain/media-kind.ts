export { MEDIA_KINDS, type MediaKind } from '@parley/contracts';
