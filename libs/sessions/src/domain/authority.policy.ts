import { DomainError } from '@parley/platform/domain';
import type { InvitableRole, ParticipantRole, SessionStatus } from '@parley/contracts';
import { isMediator, type Participant } from './model';
import { assertStatusAllows, assertTransition } from './lifecycle.policy';

/** Mediators run the session; everyone else is refused with MEDIATOR_ONLY. */
export function assertMediator(actor: Participant): void {
  if (!isMediator(actor)) throw new DomainError('MEDIATOR_ONLY', 'Only a mediator may do this.');
}

/** Edit details, add parties, open joint rooms: mediators, while the session is not closed. */
export function assertMayConfigure(actor: Participant, status: SessionStatus): void {
  assertMediator(actor);
  assertStatusAllows(status, 'configure');
}

/**
 * Invite: mediators invite parties and observers; only the lead mediator brings in a co-mediator.
 */
export function assertMayInvite(actor: Participant, role: InvitableRole, status: SessionStatus): void {
  assertMayConfigure(actor, status);
  if (role === 'co_mediator' && actor.role !== 'lead_mediator') {
    throw new DomainError('LEAD_MEDIATOR_ONLY', 'Only the lead mediator may invite a co-mediator.', 'role');
  }
}

/** Open and suspend: any mediator. Close (final): the lead mediator. */
export function assertMayChangeStatus(actor: Participant, from: SessionStatus, to: SessionStatus): void {
  assertMediator(actor);
  if (to === 'closed' && actor.role !== 'lead_mediator') {
    throw new DomainError('LEAD_MEDIATOR_ONLY', 'Only the lead mediator may close the session.', 'status');
  }
  assertTransition(from, to);
}

/**
 * Change a participant's role: the lead mediator only; the lead's own role never changes and
 * nobody becomes lead (there is one lead, the session's creator).
 */
export function assertMayChangeRole(actor: Participant, target: Participant, to: ParticipantRole, status: SessionStatus): void {
  assertMayConfigure(actor, status);
  if (actor.role !== 'lead_mediator') {
    throw new DomainError('LEAD_MEDIATOR_ONLY', "Only the lead mediator may change a participant's role.");
  }
  if (target.role === 'lead_mediator' || to === 'lead_mediator') {
    throw new DomainError('LEAD_MEDIATOR_IMMUTABLE', 'The lead mediator role cannot be given or taken.', 'role');
  }
  // An interpreter is invited with a pair of languages and, maybe, the party that brought them: a
  // role change carries neither, so nobody becomes one, or stops being one, this way.
  if (target.role === 'interpreter' || to === 'interpreter') {
    throw new DomainError('ROLE_CHANGE_REFUSED', "An interpreter's role is given by an invitation only, and not changed.", 'role');
  }
}

/**
 * A joint room names party members and interpreters: mediators are in every room anyway,
 * observers in none.
 */
export function assertJointMembers(members: readonly Participant[]): void {
  const invalid = members.find((m) => m.role !== 'party_member' && m.role !== 'interpreter');
  if (invalid) {
    throw new DomainError('JOINT_MEMBER_INVALID', 'A joint room names party members and interpreters only.', 'memberIds');
  }
}
