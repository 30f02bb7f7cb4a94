import { useState, type FormEvent } from 'react';
import { ErrorNote, Shell } from '../components/shell';
import { useI18n } from '../i18n/i18n';
import { api } from '../lib/api';
import { auth } from '../lib/auth-store';
import { navigate } from '../lib/router';
import { useAction } from '../lib/use-action';

/** Sign in, or create an account (a mediator starting out; parties usually arrive by invitation). */
export function SignInPage({ next }: { next: string | null }) {
  const { t } = useI18n();
  const [mode, setMode] = useState<'sign-in' | 'register'>('sign-in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const { run, busy, error } = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const pair = await run(() => (mode === 'sign-in' ? api.login({ email, password }) : api.register({ email, password, displayName })));
    if (pair) {
      auth.set(pair);
      navigate(next ?? '/');
    }
  };

  return (
    <Shell>
      <section className="card narrow" aria-labelledby="signin-title">
        <h2 id="signin-title">{mode === 'sign-in' ? t('signIn.title') : t('signIn.registerTitle')}</h2>
        <p className="muted">{t('signIn.intro')}</p>
        {auth.ended && <p role="status">{t('signIn.ended')}</p>}
        <form onSubmit={submit} className="stack">
          {mode === 'register' && (
            <label>
              {t('field.displayName')}
              <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} required maxLength={120} autoComplete="name" />
            </label>
          )}
          <label>
            {t('field.email')}
            <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="email" />
          </label>
          <label>
            {t('field.password')}
            <input
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
              minLength={mode === 'register' ? 10 : 1}
              autoComplete={mode === 'sign-in' ? 'current-password' : 'new-password'}
            />
          </label>
          <ErrorNote error={error} />
          <button type="submit" disabled={busy}>
            {mode === 'sign-in' ? t('signIn.submit') : t('signIn.register')}
          </button>
        </form>
        <button type="button" className="link" onClick={() => setMode(mode === 'sign-in' ? 'register' : 'sign-in')}>
          {mode === 'sign-in' ? t('signIn.toRegister') : t('signIn.toSignIn')}
        </button>
      </section>
    </Shell>
  );
}
