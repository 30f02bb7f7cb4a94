export * from './model';
export * from './wording';
export * from './agreement';
export {
  draftAudience,
  mayReadDraft,
  proposalAudience,
  proposalParties,
  textAudience,
  textViewFor,
  type TextView,
} from './audience.policy';
export * from './final-text';
export * from './draft.policy';
export * from './draft-quota.policy';
