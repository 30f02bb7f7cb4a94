export * from './interpretation.policy';
export * from './media-kind';
export * from './media.policy';
export * from './restart-backoff.policy';
export * from './link-quality.policy';
