import { conveyedAudience, shuttleAudience } from '@parley/shuttle/domain/audience.policy';
import { Audience, useAudienceId, useRoster, viewerOf } from '../audience/audience';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ConveyMode, ShuttleLabel, ShuttleMessageView } from '@parley/contracts';
import { useI18n } from '../i18n/i18n';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import type { SessionState } from '../state/session-state';
import { shuttleStatusLabel } from '../views/labels';
import { DiffText } from './diff-text';
import { partyName } from './presence-board';
import { ErrorNote } from './shell';
import { Select } from './select';

const byCreated = (a: ShuttleMessageView, b: ShuttleMessageView) => a.createdAt.localeCompare(b.createdAt);

/** Seconds left in a message's cooling-off, ticking. */
function useCountdown(until: string, active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [active]);
  return Math.max(0, Math.ceil((Date.parse(until) - now) / 1000));
}

/**
 * A delegation writing to the mediator: the label (for the mediator only, or to convey to a named
 * party), then each message's live status, the withdrawal window, and what was actually conveyed.
 */
export function ShuttleOutbox({ ctl, state }: { ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  const others = state.session.parties.filter((p) => p.id !== state.me.partyId);
  const [text, setText] = useState('');
  const [label, setLabel] = useState<ShuttleLabel>('mediator_only');
  const [to, setTo] = useState(others[0]?.id ?? '');
  const key = useRef(crypto.randomUUID());
  const { run, busy, error } = useAction();
  const roster = useRoster(state);
  const audienceId = useAudienceId();
  const audience = shuttleAudience(
    viewerOf(state),
    { partyId: state.me.partyId ?? '', label, conveyToPartyId: label === 'conveyable' ? to || null : null, status: 'pending' },
    roster,
  );
  const mine = Object.values(state.shuttle)
    .filter((m) => m.partyId === state.me.partyId)
    .sort(byCreated)
    .reverse();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const sent = await run(() =>
      ctl.ask('shuttle.submit', {
        text: text.trim(),
        label,
        ...(label === 'conveyable' ? { conveyToPartyId: to } : {}),
        clientMessageId: key.current,
      }),
    );
    if (sent) {
      ctl.dispatch({ type: 'shuttle', messages: [sent] });
      key.current = crypto.randomUUID();
      setText('');
    }
  };

  return (
    <section aria-labelledby="outbox-title" className="outbox">
      <h3 id="outbox-title">{t('shuttle.write')}</h3>
      <form onSubmit={submit} className="stack">
        <label>
          {t('shuttle.message')}
          <textarea
            dir="auto"
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={3}
            maxLength={4000}
            required
            aria-describedby={audienceId}
          />
        </label>
        <fieldset className="choice">
          <legend>{t('shuttle.label')}</legend>
          <label>
            <input type="radio" name="label" checked={label === 'mediator_only'} onChange={() => setLabel('mediator_only')} />{' '}
            {t('shuttle.label.mediator_only')}
          </label>
          <label>
            <input
              type="radio"
              name="label"
              checked={label === 'conveyable'}
              onChange={() => setLabel('conveyable')}
              disabled={!others.length}
            />{' '}
            {t('shuttle.label.conveyable')}
          </label>
        </fieldset>
        {label === 'conveyable' && (
          <Select label={t('shuttle.conveyTo')} value={to} onChange={setTo}>
            {others.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </Select>
        )}
        <Audience id={audienceId} state={state} line={audience} note={label === 'mediator_only' ? 'mediatorOnly' : undefined} />
        <ErrorNote error={error} />
        <button type="submit" disabled={busy || !text.trim()} aria-describedby={audienceId}>
          {t('shuttle.send')}
        </button>
      </form>
      <h3>{t('shuttle.sent')}</h3>
      {mine.length === 0 && <p className="muted">{t('shuttle.noneSent')}</p>}
      <ul className="messages">
        {mine.map((m) => (
          <OutboxItem key={m.id} m={m} ctl={ctl} state={state} />
        ))}
      </ul>
    </section>
  );
}

function OutboxItem({ m, ctl, state }: { m: ShuttleMessageView; ctl: SessionController; state: SessionState }) {
  const { t, time } = useI18n();
  const left = useCountdown(m.releaseAt, m.status === 'cooling');
  const { run, busy, error } = useAction();
  return (
    <li className="message" data-testid="outbox-message" data-status={m.status}>
      <div className="meta">
        <span className={`badge shuttle-${m.status}`}>{shuttleStatusLabel(t, m.status)}</span>
        <span className="muted">
          {m.authorName} · {time(m.createdAt)} ·{' '}
          {m.label === 'conveyable'
            ? t('shuttle.toParty', { party: partyName(state, m.conveyToPartyId) ?? '' })
            : t('shuttle.label.mediator_only')}
        </span>
      </div>
      <p dir="auto">{m.text}</p>
      {m.status === 'cooling' && state.status === 'closed' && <p className="muted">{t('shuttle.closedWhileCooling')}</p>}
      {m.status === 'cooling' && state.status !== 'closed' && (
        <p>
          {t('shuttle.coolingLeft', { s: left })}{' '}
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              run(() => ctl.ask('shuttle.withdraw', { messageId: m.id }).then((v) => ctl.dispatch({ type: 'shuttle', messages: [v] })))
            }
          >
            {t('shuttle.withdraw')}
          </button>
        </p>
      )}
      {m.status === 'conveyed' && (
        <div className="conveyed-as" data-testid="conveyed-as">
          <strong>
            {m.conveyMode === 'verbatim'
              ? t('shuttle.conveyedVerbatim')
              : m.conveyMode === 'as_mediator'
                ? t('shuttle.conveyedAsMediator')
                : t('shuttle.conveyedEdited')}
          </strong>
          <p dir="auto">{m.conveyedText}</p>
          {m.diff && m.conveyMode !== 'verbatim' && (
            <p className="muted">
              {t('shuttle.changes')} <DiffText diff={m.diff} />
            </p>
          )}
        </div>
      )}
      {m.status === 'declined' && <p className="muted">{t('shuttle.declinedBecause', { reason: m.declineReason ?? '—' })}</p>}
      <ErrorNote error={error} />
    </li>
  );
}

/** The mediator's review queue: convey (verbatim, edited, or as their own suggestion), hold, decline. */
export function ShuttleQueue({ ctl, state }: { ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  const all = Object.values(state.shuttle).sort(byCreated);
  const open = all.filter((m) => m.status === 'pending' || m.status === 'held');
  const done = all.filter((m) => m.status === 'conveyed' || m.status === 'declined').reverse();
  return (
    <section aria-labelledby="queue-title">
      <h3 id="queue-title">
        {t('queue.title')} <span className="count">{open.length}</span>
      </h3>
      {open.length === 0 && <p className="muted">{t('queue.empty')}</p>}
      <ul className="messages">
        {open.map((m) => (
          <QueueItem key={m.id} m={m} ctl={ctl} state={state} />
        ))}
      </ul>
      {done.length > 0 && (
        <details>
          <summary>{t('queue.decided', { n: done.length })}</summary>
          <ul className="messages">
            {done.map((m) => (
              <li key={m.id} className="message">
                <span className={`badge shuttle-${m.status}`}>{shuttleStatusLabel(t, m.status)}</span> {partyName(state, m.partyId)}:{' '}
                {m.conveyedText ?? m.text}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function QueueItem({ m, ctl, state }: { m: ShuttleMessageView; ctl: SessionController; state: SessionState }) {
  const { t, time } = useI18n();
  const [mode, setMode] = useState<ConveyMode>('verbatim');
  const [text, setText] = useState(m.text);
  const [reason, setReason] = useState('');
  const { run, busy, error } = useAction();
  const conveyable = m.label === 'conveyable';
  const decide = (decision: 'convey' | 'hold' | 'decline') =>
    run(async () => {
      const v = await ctl.ask('shuttle.decide', {
        messageId: m.id,
        decision,
        ...(decision === 'convey' ? { mode, ...(mode === 'verbatim' ? {} : { text }) } : {}),
        ...(decision === 'decline' && reason.trim() ? { reason: reason.trim() } : {}),
      });
      ctl.dispatch({ type: 'shuttle', messages: [v] });
    });
  const from = partyName(state, m.partyId) ?? '';
  const roster = useRoster(state);
  const audienceId = useAudienceId();
  return (
    <li className="message" data-testid="queue-message" aria-label={t('queue.itemAria', { party: from })}>
      <div className="meta">
        <span className={`badge shuttle-${m.status}`}>{shuttleStatusLabel(t, m.status)}</span>
        <span className="muted">
          {from} · {m.authorName} · {time(m.createdAt)} ·{' '}
          {conveyable ? t('shuttle.toParty', { party: partyName(state, m.conveyToPartyId) ?? '' }) : t('shuttle.label.mediator_only')}
        </span>
      </div>
      <p dir="auto">{m.text}</p>
      {conveyable && (
        <fieldset className="choice">
          <legend>{t('queue.mode')}</legend>
          {(['verbatim', 'edited', 'as_mediator'] as const).map((x) => (
            <label key={x}>
              <input type="radio" name={`mode-${m.id}`} checked={mode === x} onChange={() => setMode(x)} /> {t(`queue.mode.${x}`)}
            </label>
          ))}
        </fieldset>
      )}
      {conveyable && mode !== 'verbatim' && (
        <label>
          {t('queue.conveyedText')}
          <textarea
            dir="auto"
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={3}
            maxLength={4000}
            aria-describedby={audienceId}
          />
        </label>
      )}
      {conveyable && (
        <Audience
          id={audienceId}
          state={state}
          line={conveyedAudience(viewerOf(state), { partyId: m.partyId, label: m.label, conveyToPartyId: m.conveyToPartyId }, roster)}
        />
      )}
      <div className="row">
        {conveyable && (
          <button type="button" disabled={busy} onClick={() => decide('convey')} aria-describedby={audienceId}>
            {t('queue.convey')}
          </button>
        )}
        {m.status !== 'held' && (
          <button type="button" className="secondary" disabled={busy} onClick={() => decide('hold')}>
            {t('queue.hold')}
          </button>
        )}
        <label className="grow">
          <span className="sr-only">{t('queue.reason')}</span>
          <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('queue.reason')} maxLength={1000} />
        </label>
        <button type="button" className="secondary" disabled={busy} onClick={() => decide('decline')}>
          {t('queue.decline')}
        </button>
      </div>
      <ErrorNote error={error} />
    </li>
  );
}
