export * from './model';
export * from './membership.policy';
export * from './lifecycle.policy';
export * from './authority.policy';
export * from './placement.policy';
export * from './break.policy';
export * from './quota.policy';
export * from './departure.policy';
