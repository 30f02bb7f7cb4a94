import type { ParticipantView } from '@parley/contracts';
import type { Participant } from '@parley/sessions/domain/model';

/**
 * A participant as the membership rules know them. The view gives an interpreter the party that
 * brought them as `partyId` (to show with it); the rules know it as `broughtByPartyId`, an
 * interpreter being no party's member (they enter that party's caucus, not its shuttle or drafts).
 */
export function asAudienceMember(p: Pick<ParticipantView, 'id' | 'role' | 'partyId' | 'isHead'>): Participant {
  return p.role === 'interpreter'
    ? { id: p.id, role: p.role, partyId: null, broughtByPartyId: p.partyId, isHead: p.isHead }
    : { id: p.id, role: p.role, partyId: p.partyId, isHead: p.isHead };
}
