import { useState, type FormEvent } from 'react';
import type { ClauseView, ProposalChange } from '@parley/contracts';
import { useI18n } from '../i18n/i18n';
import { api } from '../lib/api';
import { useAction } from '../lib/use-action';
import type { SessionController } from '../state/session-controller';
import type { SessionState } from '../state/session-state';
import { ErrorNote } from '../components/shell';

/** The mediator changes a clause's wording. */
export function EditClause({ c, ctl, onDone }: { c: ClauseView; ctl: SessionController; onDone: () => void }) {
  const { t } = useI18n();
  const [text, setText] = useState(c.segments.length ? c.text : c.rendered);
  const { run, busy, error } = useAction();
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const change: ProposalChange = {
      kind: 'replace',
      clauseId: c.id,
      baseVersion: c.version,
      wording: { text, segments: c.segments.map((s) => ({ options: s.options.map((o) => ({ text: o.text })) })) },
    };
    const done = await run(async () => {
      ctl.dispatch({ type: 'agreement', view: await api.editText(ctl.sessionId, change) });
      return true;
    });
    if (done) onDone();
  };
  return (
    <form onSubmit={save} className="stack">
      <label>
        {t('text.wording')}
        <textarea dir="auto" value={text} onChange={(e) => setText(e.target.value)} rows={3} />
      </label>
      <ErrorNote error={error} />
      <div className="row">
        <button type="submit" disabled={busy}>
          {t('text.save')}
        </button>
      </div>
    </form>
  );
}

/** The mediator adds a clause at the end of the text. */
export function AddClause({ ctl, state }: { ctl: SessionController; state: SessionState }) {
  const { t } = useI18n();
  const [heading, setHeading] = useState('');
  const [text, setText] = useState('');
  const { run, busy, error } = useAction();
  const last = state.agreement?.clauses.at(-1)?.id ?? null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await run(async () => {
      ctl.dispatch({
        type: 'agreement',
        view: await api.editText(ctl.sessionId, {
          kind: 'insert',
          afterClauseId: last,
          heading: heading.trim() || null,
          wording: { text },
        }),
      });
      return true;
    });
    if (done) {
      setHeading('');
      setText('');
    }
  };
  return (
    <details className="add-clause">
      <summary>{t('text.addClause')}</summary>
      <form onSubmit={submit} className="stack">
        <label>
          {t('text.heading')}
          <input value={heading} onChange={(e) => setHeading(e.target.value)} maxLength={200} />
        </label>
        <label>
          {t('text.wording')}
          <textarea dir="auto" value={text} onChange={(e) => setText(e.target.value)} rows={3} required />
        </label>
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          {t('text.insert')}
        </button>
      </form>
    </details>
  );
}
