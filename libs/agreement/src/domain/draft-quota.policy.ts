import { DomainError } from '@parley/platform/domain';

/**
 * A live draft's stored updates take at most `limit` bytes: an update that would take it past is
 * refused whole (QUOTA_EXCEEDED, `details: { quota: 'draftBytes', limit }`) and nothing is stored
 * or relayed. A draft that long is no clause any more; what is stored stays as it was. The store
 * checks the sum in the statement that appends (DraftStore.store); this is the refusal.
 */
export function draftQuotaExceeded(limit: number): DomainError {
  return new DomainError('QUOTA_EXCEEDED', `A live draft takes at most ${limit} bytes: this change would take it past.`, 'message', {
    quota: 'draftBytes',
    limit,
  });
}
