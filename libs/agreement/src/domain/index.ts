export * from './model';
export * from './wording';
export * from './agreement';
export * from './final-text';
export * from './draft.policy';
export * from './draft-quota.policy';
