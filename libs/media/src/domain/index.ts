export * from './media-kind';
export * from './media.policy';
