export * from './media-kind';
export * from './media.policy';
export * from './restart-backoff.policy';
