import type { ParticipantRole } from '@parley/contracts';
import { useI18n, type Translate } from '../i18n/i18n';
import { partyMark } from './party-mark';
import './console.css';

/** What a person is in the session, as their badge reads: head of delegation, co-mediator, observer… */
export function roleBadge(t: Translate, role: ParticipantRole, isHead: boolean): string {
  switch (role) {
    case 'lead_mediator':
      return t('badge.lead');
    case 'co_mediator':
      return t('badge.co');
    case 'observer':
      return t('badge.observer');
    case 'interpreter':
      return t('badge.interpreter');
    case 'party_member':
      return isHead ? t('badge.head') : t('badge.member');
  }
}

/** A party's mark: its colour (stable from the party order) with its initial; the name is said beside it. */
export function PartyMarkBadge({ parties, partyId }: { parties: ReadonlyArray<{ id: string; name: string }>; partyId: string | null }) {
  const { t } = useI18n();
  const mark = partyMark(parties, partyId);
  const party = parties.find((p) => p.id === partyId);
  if (!mark || !party) return null;
  return (
    <span className="party-mark" data-party-position={mark.position}>
      <span className="party-swatch" style={{ backgroundColor: mark.colour }} aria-hidden="true">
        {mark.initial}
      </span>
      <span className="sr-only">{t('badge.party', { party: party.name })}</span>
      <bdi className="party-name" aria-hidden="true">
        {party.name}
      </bdi>
    </span>
  );
}

/** The person's role badge and, for a delegation member, their party's mark: everywhere a person is shown in the console. */
export function PersonBadges({
  role,
  isHead,
  partyId,
  parties,
}: {
  role: ParticipantRole;
  isHead: boolean;
  partyId: string | null;
  parties: ReadonlyArray<{ id: string; name: string }>;
}) {
  const { t } = useI18n();
  const kind = role === 'party_member' ? (isHead ? 'head' : 'member') : role;
  return (
    <span className="person-badges">
      <span className={`role-badge role-${kind}`} data-role={kind}>
        {roleBadge(t, role, isHead)}
      </span>
      <PartyMarkBadge parties={parties} partyId={partyId} />
    </span>
  );
}
