import type { Tx } from '@parley/platform';
import { computeResults } from '../domain/results';
import type { ConsultationStore, StoredConsultation } from './consultation-store';

/** The clusters frozen results and summaries are worked out with. */
export const FROZEN_K = 3;

/** Works out a consultation's results from what is stored (k clusters). */
export async function resultsOf(store: ConsultationStore, tx: Tx, c: StoredConsultation, k: number) {
  const input = await store.resultsInput(tx, c.id);
  return computeResults({ ...input, consultationId: c.id, k });
}
