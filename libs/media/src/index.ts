export * from './infrastructure/media.module';
export * from './infrastructure/persistence';
export { MEDIA_PORT, type MediaPort } from './application/media.port';
