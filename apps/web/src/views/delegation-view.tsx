import { AgreementPanel } from '../components/agreement-panel';
import { RoomColumn } from './room-column';
import { DraftPanel } from '../lazy/lazy-panels';
import { partyName } from '../components/presence-board';
import { ShuttleOutbox } from '../components/shuttle';
import { Tabs } from '../components/tabs';
import { useI18n } from '../i18n/i18n';
import type { MediaEngine } from '../media/media-engine';
import type { SessionController } from '../state/session-controller';
import { roomById, type SessionState } from '../state/session-state';
import { roleLabel } from './labels';
import { ConsultationSummaries, tabledSummaries } from '../consultation/consultation-summaries';

/**
 * A delegation member's view: where they are (lobby, their caucus, the plenary), that room's video
 * and chat, and their work — writing to the mediator, the text, and the caucus draft.
 */
export function DelegationView({ ctl, state, media }: { ctl: SessionController; state: SessionState; media: MediaEngine | null }) {
  const { t } = useI18n();
  const room = roomById(state, state.me.roomId);
  const party = partyName(state, state.me.partyId);
  const inOwnCaucus = room?.kind === 'caucus' && room.partyId === state.me.partyId;
  const tabs = [
    { id: 'shuttle', label: t('delegation.toMediator'), content: <ShuttleOutbox ctl={ctl} state={state} /> },
    { id: 'text', label: t('console.text'), content: <AgreementPanel ctl={ctl} state={state} /> },
    // What the mediators tabled of the consultation, once there is something (issue 19).
    ...(tabledSummaries(state).length > 0
      ? [{ id: 'consultation', label: t('consult.summaries'), content: <ConsultationSummaries state={state} /> }]
      : []),
    ...(inOwnCaucus && state.me.partyId
      ? [
          {
            id: 'draft',
            label: t('delegation.draft'),
            content: <DraftPanel ctl={ctl} state={state} scope={{ kind: 'party', partyId: state.me.partyId }} />,
          },
        ]
      : []),
  ];
  return (
    <div className="columns two">
      <div className="col">
        <p className="whoami">
          {roleLabel(t, state.me.role, state.me.isHead)}
          {party ? ` · ${party}` : ''}
        </p>
        <RoomColumn ctl={ctl} state={state} media={media} readOnly={false} />
      </div>
      <div className="col wide">
        <Tabs label={t('delegation.work')} tabs={tabs} />
      </div>
    </div>
  );
}
