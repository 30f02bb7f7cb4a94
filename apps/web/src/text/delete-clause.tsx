import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ClauseView, ProposalChange } from '@parley/contracts';
import { render } from '@parley/agreement/domain/wording';
import { useI18n } from '../i18n/i18n';
import { api } from '../lib/api';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import { ReauthPassword } from '../components/password-field';
import './finalise.css';

/**
 * The mediator deletes a clause: a confirmation that shows the clause as people read it and asks for
 * the password again — the server checks it afresh at that moment. A wrong one is said in the form,
 * which stays open; nothing was deleted.
 */
export function DeleteClause({ c, ctl }: { c: ClauseView; ctl: SessionController }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const kept = useRef(false);
  // Kept: the focus goes back to the button that opened the confirmation.
  useEffect(() => {
    if (!open && kept.current) trigger.current?.focus();
  }, [open]);
  if (open) {
    const keep = () => {
      kept.current = true;
      setOpen(false);
    };
    return <ConfirmDelete c={c} ctl={ctl} onKeep={keep} />;
  }
  return (
    <button ref={trigger} type="button" className="quiet" onClick={() => setOpen(true)}>
      {t('finalise.delete')}
    </button>
  );
}

/** The confirmation itself: mounted afresh each time, so an earlier refusal is not shown again. */
function ConfirmDelete({ c, ctl, onKeep }: { c: ClauseView; ctl: SessionController; onKeep: () => void }) {
  const { t } = useI18n();
  const { run, busy, error } = useAction();
  const [password, setPassword] = useState('');
  const titleId = useId();
  // Opened: the focus goes to its title, from where the clause is read before the password.
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => title.current?.focus(), []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      try {
        const change: ProposalChange = { kind: 'delete', clauseId: c.id, baseVersion: c.version };
        ctl.dispatch({ type: 'agreement', view: await api.editText(ctl.sessionId, change, password) });
      } finally {
        setPassword('');
      }
    });
  };
  return (
    <form className="card delete-clause" aria-labelledby={titleId} onSubmit={submit}>
      <h4 id={titleId} ref={title} tabIndex={-1}>
        {t('finalise.deleteTitle', { n: c.number })}
      </h4>
      <blockquote className="delete-clause-text">
        {c.heading && (
          <p dir="auto">
            <strong>{c.heading}</strong>
          </p>
        )}
        <p dir="auto">{render(c)}</p>
      </blockquote>
      <p>{t('finalise.deleteIntro')}</p>
      <ReauthPassword
        label={t('finalise.password')}
        value={password}
        onChange={setPassword}
        error={error}
        wrongSentence={t('finalise.wrongPassword')}
      />
      <div className="row">
        <button type="submit" className="danger" disabled={busy || !password}>
          {t('finalise.deleteConfirm', { n: c.number })}
        </button>
        <button type="button" className="quiet" disabled={busy} onClick={onKeep}>
          {t('finalise.keep')}
        </button>
      </div>
    </form>
  );
}
