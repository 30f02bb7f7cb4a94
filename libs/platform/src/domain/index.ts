export * from './domain-error';
export * from './error-status';
export * from './names';
export * from './word-diff';
