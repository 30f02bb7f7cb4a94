import type { ParticipantRole, SessionStatus, ShuttleStatus, ClauseState, RoomKind } from '@parley/contracts';
import type { Translate } from '../i18n/i18n';

export function roleLabel(t: Translate, role: ParticipantRole, isHead = false): string {
  if (role === 'party_member') return isHead ? t('role.head') : t('role.party_member');
  return t(`role.${role}`);
}

export const statusLabel = (t: Translate, s: SessionStatus) => t(`status.${s}`);
export const shuttleStatusLabel = (t: Translate, s: ShuttleStatus) => t(`shuttle.status.${s}`);
export const clauseStateLabel = (t: Translate, s: ClauseState) => t(`clause.state.${s}`);

/** A room's name as people read it: the plenary and caucuses by kind, joint rooms by their name. */
export function roomLabel(t: Translate, room: { kind: RoomKind; name: string }, partyName?: string | null): string {
  if (room.kind === 'plenary') return t('room.plenary');
  if (room.kind === 'mediator') return t('room.mediator');
  if (room.kind === 'caucus') return t('room.caucus', { party: partyName ?? room.name });
  return room.name;
}
