export * from './roles';
export * from './errors';
export * from './models';
export * from './messages';
export * from './stream-cursor';
export * from './socket';
export * from './agreement';
export * from './media';
