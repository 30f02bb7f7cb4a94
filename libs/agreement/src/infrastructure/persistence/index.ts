import { AgreementEntity, ClauseEntity, ClauseVersionEntity, DraftUpdateEntity, ProposalEntity } from './agreement.entities';

export { AgreementEntity, ClauseEntity, ClauseVersionEntity, DraftUpdateEntity, ProposalEntity };
export const AGREEMENT_ENTITIES = [AgreementEntity, ClauseEntity, ClauseVersionEntity, ProposalEntity, DraftUpdateEntity];
