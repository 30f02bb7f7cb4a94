import type { ReactNode } from 'react';
import { errorSentence, isOutage } from '../i18n/errors';
import { useI18n, LOCALES, type Locale } from '../i18n/i18n';
import { api } from '../lib/api';
import { auth } from '../lib/auth-store';
import { navigate } from '../lib/router';
import { Select } from './select';

/** The language chooser: in every header, and before signing in. */
export function LanguagePicker() {
  const { t, locale, setLocale } = useI18n();
  return (
    <Select className="language" label={t('app.language')} value={locale} onChange={(v) => setLocale(v as Locale)}>
      {LOCALES.map((l) => (
        <option key={l.code} value={l.code} lang={l.code}>
          {l.name}
        </option>
      ))}
    </Select>
  );
}

/** Page frame: a header with the product, the title, the user and the language; then the page. */
export function Shell({
  title,
  status,
  children,
  actions,
}: {
  title?: string;
  status?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const user = auth.get()?.user;
  return (
    <div className="shell">
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <a
          className="brand"
          href="/"
          onClick={(e) => {
            e.preventDefault();
            navigate('/');
          }}
        >
          Parley
        </a>
        {title && <h1 className="title">{title}</h1>}
        {status}
        <div className="spacer" />
        {actions}
        <LanguagePicker />
        {user && (
          <>
            <a
              className="user"
              href="/account"
              title={t('account.link')}
              onClick={(e) => {
                e.preventDefault();
                navigate('/account');
              }}
            >
              {user.displayName}
            </a>
            <button
              type="button"
              className="quiet"
              onClick={() => {
                // The server ends this sign-in everywhere (its sockets too); the page signs out whatever it answers.
                void api
                  .signOut()
                  .catch(() => undefined)
                  .finally(() => {
                    auth.clear();
                    navigate('/');
                  });
              }}
            >
              {t('app.signOut')}
            </button>
          </>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

/**
 * A refusal from the server, in words: the sentence of its code in the reader's language (the code
 * itself stays in `data-code`, for tests and support, never as text). An outage is no failure of
 * the person's: it reads as what is unavailable, calmly, as a status rather than an alert.
 */
export function ErrorNote({ error }: { error: { code: string; field?: string } | null }) {
  const { t } = useI18n();
  if (!error) return null;
  if (isOutage(error.code)) {
    return (
      <p className="notice outage" role="status" data-code={error.code}>
        {errorSentence(t, error)}
      </p>
    );
  }
  return (
    <p className="error" role="alert" data-code={error.code} data-field={error.field}>
      {t('error.prefix')} {errorSentence(t, error)}
    </p>
  );
}
