import { useEffect, useState, type FormEvent } from 'react';
import type { SignInView } from '@parley/contracts';
import { ErrorNote, Shell } from '../components/shell';
import { useI18n } from '../i18n/i18n';
import { api } from '../lib/api';
import { auth } from '../lib/auth-store';
import { navigate } from '../lib/router';
import { useAction } from '../lib/use-action';

const when = (iso: string) => new Date(iso).toLocaleString();

/**
 * The account: where it is signed in (each sign-in can be ended, which closes that device's
 * connection at once), signing out, and deleting the account — the password typed again and the
 * consequences confirmed, since it cannot be undone.
 */
export function AccountPage() {
  const { t } = useI18n();
  const [signIns, setSignIns] = useState<SignInView[] | null>(null);
  const list = useAction();
  const end = useAction();
  const remove = useAction();
  const [password, setPassword] = useState('');
  const [confirmed, setConfirmed] = useState(false);

  const load = () => void list.run(() => api.signIns()).then((s) => s && setSignIns(s));
  useEffect(load, []); // eslint-disable-line react-hooks/exhaustive-deps

  const endOne = async (s: SignInView) => {
    await end.run(() => api.endSignIn(s.id));
    // Ending this device's own sign-in is signing out.
    if (s.current) {
      auth.clear(true);
      navigate('/');
    } else load();
  };

  const deleteAccount = async (e: FormEvent) => {
    e.preventDefault();
    if (!confirmed) return;
    const done = await remove.run(async () => {
      await api.deleteAccount(password);
      return true;
    });
    if (done) {
      auth.clear(true);
      navigate('/');
    }
  };

  return (
    <Shell title={t('account.title')}>
      <div className="columns two">
        <section className="card" aria-labelledby="sign-ins">
          <h2 id="sign-ins">{t('account.signIns')}</h2>
          <ErrorNote error={list.error ?? end.error} />
          <ul className="list">
            {signIns?.map((s) => (
              <li key={s.id}>
                <span>{t('account.signIn', { created: when(s.createdAt), used: when(s.lastUsedAt), expires: when(s.expiresAt) })}</span>
                {s.current && <span className="badge">{t('account.thisDevice')}</span>}
                <button type="button" className="quiet" disabled={end.busy} onClick={() => void endOne(s)}>
                  {t('account.end')}
                </button>
              </li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="delete-account">
          <h2 id="delete-account">{t('account.delete')}</h2>
          <p>{t('account.deleteIntro')}</p>
          <form onSubmit={(e) => void deleteAccount(e)}>
            <label>
              {t('account.password')}
              <input
                type="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
            <label>
              <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} /> {t('account.confirm')}
            </label>
            <ErrorNote error={remove.error} />
            <button type="submit" className="danger" disabled={!confirmed || !password || remove.busy}>
              {t('account.delete')}
            </button>
          </form>
        </section>
      </div>
    </Shell>
  );
}
