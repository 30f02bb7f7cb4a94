import { useState, type FormEvent } from 'react';
import type { ChangeStatusPayload, SessionStatus } from '@parley/contracts';
import { BREAK_MAX_MINUTES, BREAK_REASON_MAX } from '@parley/sessions/domain/break.policy';
import { useI18n } from '../i18n/i18n';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import type { SessionState } from '../state/session-state';
import { statusLabel } from '../views/labels';
import { ErrorNote } from './shell';

const NEXT: Record<
  SessionStatus,
  Array<{ to: SessionStatus; key: 'session.open' | 'session.suspend' | 'session.resume' | 'session.close' }>
> = {
  draft: [
    { to: 'open', key: 'session.open' },
    { to: 'closed', key: 'session.close' },
  ],
  open: [
    { to: 'suspended', key: 'session.suspend' },
    { to: 'closed', key: 'session.close' },
  ],
  suspended: [
    { to: 'open', key: 'session.resume' },
    { to: 'closed', key: 'session.close' },
  ],
  closed: [],
};

/**
 * The session's status and, for the lead mediator, the transitions it allows. Suspending asks for
 * the break's reason and length; resuming asks where people go — back to the rooms they were in
 * (the default) or to wait in the lobby.
 */
export function StatusControls({ ctl, state }: { ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  const { run, busy, error } = useAction();
  const [form, setForm] = useState<'break' | 'resume' | null>(null);
  const lead = state.me.role === 'lead_mediator';
  const change = async (payload: ChangeStatusPayload) => {
    if (payload.status === 'closed' && !confirm(t('session.confirmClose'))) return;
    const done = await run(() => ctl.ask('session.change-status', payload));
    if (done) {
      ctl.statusChanged(done);
      setForm(null);
    }
  };
  const open = (to: SessionStatus) => {
    if (to === 'suspended') return setForm(form === 'break' ? null : 'break');
    if (to === 'open' && state.status === 'suspended') return setForm(form === 'resume' ? null : 'resume');
    void change({ status: to });
  };
  const shownForm =
    form === 'break' && state.status === 'open' ? 'break' : form === 'resume' && state.status === 'suspended' ? 'resume' : null;
  return (
    <div className="status-controls">
      <span className={`badge status-${state.status}`} data-testid="session-status">
        {statusLabel(t, state.status)}
      </span>
      {lead &&
        NEXT[state.status].map((n) => (
          <button
            key={n.to}
            type="button"
            disabled={busy}
            aria-expanded={
              n.to === 'suspended'
                ? shownForm === 'break'
                : n.to === 'open' && state.status === 'suspended'
                  ? shownForm === 'resume'
                  : undefined
            }
            onClick={() => open(n.to)}
          >
            {t(n.key)}
          </button>
        ))}
      {shownForm === 'break' && (
        <BreakForm
          busy={busy}
          onStart={(reason, minutes) =>
            void change({ status: 'suspended', ...(reason ? { reason } : {}), ...(minutes ? { minutes } : {}) })
          }
          onCancel={() => setForm(null)}
        />
      )}
      {shownForm === 'resume' && (
        <ResumeForm busy={busy} onResume={(restoreSeats) => void change({ status: 'open', restoreSeats })} onCancel={() => setForm(null)} />
      )}
      <ErrorNote error={error} />
    </div>
  );
}

/** A break: its reason (everyone reads it) and its length in minutes (everyone sees the countdown); both optional. */
function BreakForm({
  busy,
  onStart,
  onCancel,
}: {
  busy: boolean;
  onStart: (reason: string, minutes: number | null) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onStart(reason.trim(), minutes.trim() ? Number(minutes) : null);
  };
  return (
    <form className="status-form card" onSubmit={submit} aria-labelledby="break-form-title" data-testid="break-form">
      <h2 id="break-form-title">{t('break.form.title')}</h2>
      <label>
        {t('break.form.reason')}
        <input dir="auto" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={BREAK_REASON_MAX} />
      </label>
      <label>
        {t('break.form.minutes')}
        <input
          type="number"
          inputMode="numeric"
          min={1}
          max={BREAK_MAX_MINUTES}
          step={1}
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
        />
      </label>
      <div className="row">
        <button type="submit" disabled={busy}>
          {t('break.form.start')}
        </button>
        <button type="button" className="quiet" onClick={onCancel}>
          {t('break.form.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Resuming: everyone back to the room they were in when the break began (default), or all kept in the lobby. */
function ResumeForm({ busy, onResume, onCancel }: { busy: boolean; onResume: (restoreSeats: boolean) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [restore, setRestore] = useState(true);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onResume(restore);
  };
  return (
    <form className="status-form card" onSubmit={submit} aria-labelledby="resume-form-title" data-testid="resume-form">
      <h2 id="resume-form-title">{t('resume.title')}</h2>
      <fieldset className="choice">
        <legend>{t('resume.seats')}</legend>
        <label>
          <input type="radio" name="restore-seats" checked={restore} onChange={() => setRestore(true)} /> {t('resume.restore')}
        </label>
        <label>
          <input type="radio" name="restore-seats" checked={!restore} onChange={() => setRestore(false)} /> {t('resume.lobby')}
        </label>
      </fieldset>
      <div className="row">
        <button type="submit" disabled={busy}>
          {t('resume.submit')}
        </button>
        <button type="button" className="quiet" onClick={onCancel}>
          {t('break.form.cancel')}
        </button>
      </div>
    </form>
  );
}
