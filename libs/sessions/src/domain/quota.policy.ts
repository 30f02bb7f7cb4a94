import { DomainError } from '@parley/platform/domain';

/** The per-account quotas an operator sets (QUOTA_* variables); the name travels in `details.quota`. */
export type QuotaName = 'sessionsPerAccount' | 'invitationsPerSession' | 'partiesPerSession' | 'socketsPerAccount';

const exceeded = (quota: QuotaName, limit: number, message: string) =>
  new DomainError('QUOTA_EXCEEDED', message, undefined, { quota, limit });

/** An account has created at most `limit` sessions that are not closed: closing one frees its place. */
export function assertSessionQuota(openSessionsCreated: number, limit: number): void {
  if (openSessionsCreated + 1 > limit)
    throw exceeded(
      'sessionsPerAccount',
      limit,
      `You have created ${limit} sessions that are not closed, the most allowed: close one first.`,
    );
}

/** A session holds at most `limit` invitations, whatever became of them (accepted, revoked, expired). */
export function assertInvitationQuota(invitations: number, limit: number): void {
  if (invitations + 1 > limit)
    throw exceeded('invitationsPerSession', limit, `This session has had ${limit} invitations, the most allowed.`);
}

/** A session has at most `limit` parties, counting those it is created with. */
export function assertPartyQuota(parties: number, adding: number, limit: number): void {
  if (parties + adding > limit) throw exceeded('partiesPerSession', limit, `A session has at most ${limit} parties.`);
}

/** An account holds at most `limit` open sockets (pages) on one API instance. */
export function assertSocketQuota(openSockets: number, limit: number): void {
  if (openSockets + 1 > limit)
    throw exceeded('socketsPerAccount', limit, `This account has ${limit} connections open, the most allowed: close a page first.`);
}
