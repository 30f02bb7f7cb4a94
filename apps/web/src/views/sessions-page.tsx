import { useEffect, useState, type FormEvent } from 'react';
import type { SessionSummary } from '@parley/contracts';
import { ErrorNote, Shell } from '../components/shell';
import { useI18n } from '../i18n/i18n';
import { api } from '../lib/api';
import { navigate } from '../lib/router';
import { useAction } from '../lib/use-action';
import { roleLabel, statusLabel } from './labels';

/** One's sessions (pick one), and a form to start a new one as its lead mediator. */
export function SessionsPage() {
  const { t } = useI18n();
  const [sessions, setSessions] = useState<SessionSummary[] | null>(null);
  const list = useAction();
  const create = useAction();
  const [title, setTitle] = useState('');
  const [parties, setParties] = useState('');
  const [coolingOff, setCoolingOff] = useState(30);

  useEffect(() => {
    void list.run(() => api.sessions()).then((s) => s && setSessions(s));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const names = parties
      .split('\n')
      .map((p) => p.trim())
      .filter(Boolean);
    const created = await create.run(async () => {
      const s = await api.createSession({ title, parties: names });
      await api.updateSession(s.id, { coolingOffSeconds: coolingOff });
      return s;
    });
    if (created) navigate(`/sessions/${created.id}`);
  };

  return (
    <Shell title={t('sessions.title')}>
      <div className="columns two">
        <section className="card" aria-labelledby="my-sessions">
          <h2 id="my-sessions">{t('sessions.mine')}</h2>
          <ErrorNote error={list.error} />
          {sessions && sessions.length === 0 && <p className="muted">{t('sessions.none')}</p>}
          <ul className="list">
            {sessions?.map((s) => (
              <li key={s.id}>
                <a
                  href={`/sessions/${s.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/sessions/${s.id}`);
                  }}
                >
                  {s.title}
                </a>
                <span className="badge">{statusLabel(t, s.status)}</span>
                <span className="muted">{roleLabel(t, s.myRole)}</span>
              </li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="new-session">
          <h2 id="new-session">{t('sessions.new')}</h2>
          <form onSubmit={submit} className="stack">
            <label>
              {t('sessions.field.title')}
              <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
            </label>
            <label>
              {t('sessions.field.parties')}
              <textarea value={parties} onChange={(e) => setParties(e.target.value)} rows={3} />
            </label>
            <label>
              {t('sessions.field.coolingOff')}
              <input type="number" min={0} max={3600} value={coolingOff} onChange={(e) => setCoolingOff(Number(e.target.value))} />
            </label>
            <ErrorNote error={create.error} />
            <button type="submit" disabled={create.busy}>
              {t('sessions.create')}
            </button>
          </form>
        </section>
      </div>
    </Shell>
  );
}
