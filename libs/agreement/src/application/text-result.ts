import type { AgreementView } from '@parley/contracts';
import type { AgreementState } from '../domain';
import type { AgreementStore } from '../infrastructure/agreement-store';
import type { EntityManager } from 'typeorm';
import { agreementView } from './agreement-views';

/** What a change of the text answers: the text as its author (never an observer) now sees it. */
export async function textResult(store: AgreementStore, manager: EntityManager, state: AgreementState): Promise<AgreementView> {
  return agreementView(state, 'negotiators', await store.names(manager, state.sessionId));
}
