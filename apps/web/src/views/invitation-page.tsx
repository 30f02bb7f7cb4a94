import { useEffect, useState, type FormEvent } from 'react';
import type { InvitationPreview } from '@parley/contracts';
import { PasswordField } from '../components/password-field';
import { ErrorNote, Shell } from '../components/shell';
import { useI18n } from '../i18n/i18n';
import { api, ApiFailure } from '../lib/api';
import { auth } from '../lib/auth-store';
import { navigate } from '../lib/router';
import { useAction } from '../lib/use-action';
import { roleLabel } from './labels';

/**
 * An invitation link: what it is for (session, role, delegation), then accept it — with the account
 * already signed in on this browser, or by signing in / creating one here.
 */
export function InvitationPage({ token }: { token: string }) {
  const { t, time } = useI18n();
  const [preview, setPreview] = useState<InvitationPreview | null>(null);
  const [loadError, setLoadError] = useState<ApiFailure | null>(null);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [hasAccount, setHasAccount] = useState(false);
  const signedIn = auth.get();
  const { run, busy, error } = useAction();
  const resend = useAction();

  useEffect(() => {
    api.previewInvitation(token).then(setPreview, (e: unknown) => setLoadError(ApiFailure.of(e)));
  }, [token]);

  const accept = async (e: FormEvent) => {
    e.preventDefault();
    const body = signedIn ? {} : hasAccount ? { email, password } : { email, password, displayName };
    const done = await run(() => api.acceptInvitation(token, body));
    if (done) {
      auth.set(done);
      navigate(`/sessions/${done.sessionId}`);
    }
  };

  return (
    <Shell>
      <section className="card narrow" aria-labelledby="inv-title">
        <h2 id="inv-title">{t('invitation.title')}</h2>
        <ErrorNote error={loadError} />
        {preview && (
          <>
            <dl className="facts">
              <dt>{t('invitation.session')}</dt>
              <dd>{preview.sessionTitle}</dd>
              <dt>{t('invitation.role')}</dt>
              <dd>{roleLabel(t, preview.role, preview.isHead)}</dd>
              {preview.partyName && (
                <>
                  <dt>{t('invitation.party')}</dt>
                  <dd>{preview.partyName}</dd>
                </>
              )}
              <dt>{t('invitation.expires')}</dt>
              <dd>
                {new Date(preview.expiresAt).toLocaleDateString()} {time(preview.expiresAt)}
              </dd>
            </dl>
            <form onSubmit={accept} className="stack">
              {signedIn ? (
                <p>{t('invitation.asUser', { name: signedIn.user.displayName })}</p>
              ) : (
                <>
                  <fieldset className="choice">
                    <legend>{t('invitation.account')}</legend>
                    <label>
                      <input type="radio" name="acct" checked={!hasAccount} onChange={() => setHasAccount(false)} />{' '}
                      {t('invitation.newAccount')}
                    </label>
                    <label>
                      <input type="radio" name="acct" checked={hasAccount} onChange={() => setHasAccount(true)} />{' '}
                      {t('invitation.existingAccount')}
                    </label>
                  </fieldset>
                  {!hasAccount && (
                    <label>
                      {t('field.displayName')}
                      <input
                        value={displayName}
                        onChange={(e) => setDisplayName(e.target.value)}
                        required
                        maxLength={120}
                        autoComplete="name"
                      />
                    </label>
                  )}
                  <label>
                    {t('field.email')}
                    <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="email" />
                  </label>
                  <PasswordField value={password} onChange={setPassword} isNew={!hasAccount} />
                </>
              )}
              <ErrorNote error={error} />
              {error?.code === 'EMAIL_NOT_VERIFIED' && (
                <p role="status">
                  {t('invitation.checkMail')}{' '}
                  {signedIn && (
                    <button
                      type="button"
                      className="link"
                      onClick={() => void resend.run(() => api.resendVerification(`/invitations/${token}`))}
                    >
                      {t('verify.resend')}
                    </button>
                  )}
                </p>
              )}
              <ErrorNote error={resend.error} />
              <button type="submit" disabled={busy}>
                {t('invitation.accept')}
              </button>
            </form>
          </>
        )}
      </section>
    </Shell>
  );
}
