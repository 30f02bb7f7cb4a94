import { useEffect, useId, useState } from 'react';
import type { ParticipantView } from '@parley/contracts';
import type { Participant } from '@parley/sessions/domain/model';
import type { AudienceLine, Roster } from '@parley/sessions/domain/audience.policy';
import { useI18n } from '../i18n/i18n';
import { api } from '../lib/api';
import type { SessionState } from '../state/session-state';
import { partyName } from '../components/presence-board';
import { asAudienceMember } from './audience-member';
import { sentenceOf, sentenceText, type AudienceNote } from './audience-sentence';
import './audience.css';

/** The viewer as the domain's rules see them. */
export const viewerOf = (state: SessionState): Participant => asAudienceMember(state.me);

// One read of the participants per session and change, shared by every line of the page.
const reads = new Map<string, Promise<ParticipantView[]>>();

/** Who is on the page's side of the talk: the people who may be in each room, with the mediators. */
function changeKey(state: SessionState): string {
  const seen = [
    ...(state.overview ? [...state.overview.lobby, ...state.overview.rooms.flatMap((r) => r.occupants)] : []),
    ...Object.values(state.occupants).flat(),
  ].map((o) => `${o.participantId}:${o.role}`);
  return `${state.session.id}|${state.me.id}:${state.me.role}|${[...new Set(seen)].sort().join(',')}`;
}

/**
 * The session's roster for the audience rules: every participant (read over HTTP, again when the
 * page sees someone new or a role change) and the parties in order. Until it is read, the roster is
 * the viewer alone — the line then names who may read, without counts.
 */
export function useRoster(state: SessionState): Roster {
  const key = changeKey(state);
  const [people, setPeople] = useState<{ key: string; list: Participant[] } | null>(null);
  useEffect(() => {
    let live = true;
    let read = reads.get(key);
    if (!read) {
      read = api.participants(state.session.id);
      reads.set(key, read);
      read.catch(() => reads.delete(key));
    }
    read.then((list) => live && setPeople({ key, list: list.map(asAudienceMember) })).catch(() => undefined); // the line still names who; its counts wait for the next read
    return () => {
      live = false;
    };
  }, [key, state.session.id]);
  return { participants: people?.list ?? [viewerOf(state)], partyIds: state.session.parties.map((p) => p.id) };
}

/** A stable id for the line, to reference with aria-describedby from the composer's field and button. */
export const useAudienceId = (): string => `audience-${useId().replace(/:/g, '')}`;

/**
 * "Who can see this: your delegation and the mediators" — the line under a composer or on a
 * document, computed by the domain's audience rules (never a copy of them).
 */
export function Audience({ id, line, note, state }: { id: string; line: AudienceLine; note?: AudienceNote; state: SessionState }) {
  const { locale } = useI18n();
  const sentence = sentenceOf(line, note);
  return (
    <p id={id} className="audience" data-testid="audience" data-audience={sentence.key}>
      {sentenceText(locale, sentence, (partyId) => partyName(state, partyId) ?? '')}
    </p>
  );
}
