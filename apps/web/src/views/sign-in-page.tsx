import { useState, type FormEvent } from 'react';
import type { Registered, TokenPair } from '@parley/contracts';
import { PasswordField } from '../components/password-field';
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
  // After registering with mail configured: where the link went, and the sign-in to go on with (none for a claim).
  const [mailed, setMailed] = useState<{ email: string; pair: TokenPair | null } | null>(null);

  const go = (pair: TokenPair) => {
    auth.set(pair);
    navigate(next ?? '/');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await run<Registered | TokenPair>(() =>
      mode === 'sign-in' ? api.login({ email, password }) : api.register({ email, password, displayName }),
    );
    if (!done) return;
    if ('claim' in done) setMailed({ email: done.email, pair: null });
    else if ('verificationSent' in done && done.verificationSent) setMailed({ email: done.user.email, pair: done });
    else go(done);
  };

  if (mailed) {
    return (
      <Shell>
        <section className="card narrow" aria-labelledby="mailed-title">
          <h2 id="mailed-title">{t('verify.checkMail')}</h2>
          <p role="status">{mailed.pair ? t('verify.sentTo', { email: mailed.email }) : t('verify.claimSent', { email: mailed.email })}</p>
          {mailed.pair && (
            <button type="button" onClick={() => go(mailed.pair!)}>
              {t('verify.continue')}
            </button>
          )}
        </section>
      </Shell>
    );
  }

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
          <PasswordField value={password} onChange={setPassword} isNew={mode === 'register'} />
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
