import { useState, type FormEvent } from 'react';
import { PasswordField } from '../components/password-field';
import { ErrorNote, Shell } from '../components/shell';
import { useI18n } from '../i18n/i18n';
import { api } from '../lib/api';
import { auth } from '../lib/auth-store';
import { navigate } from '../lib/router';
import { useAction } from '../lib/use-action';

/**
 * The link of an address-confirmation mail. The link proves the mailbox; the password (or being
 * signed in to the account) proves the person who asked, so a link clicked by someone else
 * confirms nothing. Then signed in, on to `next` (an invitation that waited for the address).
 */
export function VerifyEmailPage({ token, next }: { token: string; next: string | null }) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const signedIn = auth.get();
  const { run, busy, error } = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const pair = await run(() => api.verifyEmail(password ? { token, password } : { token }));
    if (pair) {
      auth.set(pair);
      navigate(next ?? '/');
    }
  };

  return (
    <Shell>
      <section className="card narrow" aria-labelledby="verify-title">
        <h2 id="verify-title">{t('verify.title')}</h2>
        <p className="muted">{signedIn ? t('verify.introSignedIn', { name: signedIn.user.displayName }) : t('verify.intro')}</p>
        <form onSubmit={submit} className="stack">
          <PasswordField value={password} onChange={setPassword} isNew={false} required={!signedIn} />
          <ErrorNote error={error} />
          <button type="submit" disabled={busy || !token}>
            {t('verify.submit')}
          </button>
        </form>
      </section>
    </Shell>
  );
}
