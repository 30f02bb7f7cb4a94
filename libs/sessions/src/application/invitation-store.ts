import type { InvitableRole, InvitationState, LanguagePair } from '@parley/contracts';
import type { Tx } from '@parley/platform';

/** An invitation as the use cases decide on it (the token itself is never stored, only its digest). */
export interface Invitation {
  readonly id: string;
  readonly sessionId: string;
  readonly displayName: string | null;
  readonly role: InvitableRole;
  readonly partyId: string | null;
  readonly isHead: boolean;
  /** An interpreter invitation's pair; null for every other role. */
  readonly languages: LanguagePair | null;
  /** The address it is bound to (normalised), if any. */
  readonly email: string | null;
  readonly createdByParticipantId: string;
  readonly expiresAt: Date;
  readonly acceptedAt: Date | null;
  readonly acceptedByUserId: string | null;
  readonly revokedAt: Date | null;
  readonly createdAt: Date;
}

/**
 * Where an invitation stands. Revoked wins over accepted: a mediator may withdraw an accepted
 * invitation (its link then says so), which leaves the participant it made in place — taking a
 * seat away is a role change, not this.
 */
export const invitationStatus = (i: Invitation, now = Date.now()): InvitationState =>
  i.revokedAt ? 'revoked' : i.acceptedAt ? 'accepted' : i.expiresAt.getTime() <= now ? 'expired' : 'pending';

export type NewInvitation = Omit<Invitation, 'acceptedAt' | 'acceptedByUserId' | 'revokedAt' | 'createdAt'> & {
  readonly tokenHash: string;
};

/** The invitations of the sessions; takes and returns plain data, its implementation owns the SQL. */
export abstract class InvitationStore {
  abstract count(tx: Tx, sessionId: string): Promise<number>;
  abstract insert(tx: Tx, invitation: NewInvitation): Promise<void>;
  /** The session's invitations, oldest first. */
  abstract list(tx: Tx, sessionId: string): Promise<Invitation[]>;
  /** The session's invitation, or null. */
  abstract owned(tx: Tx, sessionId: string, invitationId: string): Promise<Invitation | null>;
  /** The invitation whose token has this digest, or null; `lock`: its row is locked until the transaction ends. */
  abstract byTokenHash(tx: Tx, tokenHash: string, lock: boolean): Promise<Invitation | null>;
  abstract markRevoked(tx: Tx, invitationId: string): Promise<void>;
  abstract markAccepted(tx: Tx, invitationId: string, userId: string): Promise<void>;
}
