import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { errorSentence, isOutage } from '../i18n/errors';
import { useI18n, LOCALES, type Locale } from '../i18n/i18n';
import { api } from '../lib/api';
import { auth } from '../lib/auth-store';
import { navigate } from '../lib/router';
import { Select } from './select';
import { shellText } from './shell.messages';

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

/**
 * Page frame: a header with the product, the title, the user and the language; then the page. On a
 * phone the header stays at the top (sticky, one or two short lines): the language, the account
 * and signing out sit behind a Menu button there; `nav`, when given, is a row of jumps to the
 * page's sections shown on narrow screens only. The header's height is kept in `--topbar-h`, so
 * that a jump lands below it.
 */
export function Shell({
  title,
  status,
  children,
  actions,
  nav,
}: {
  title?: string;
  status?: ReactNode;
  actions?: ReactNode;
  nav?: ReactNode;
  children: ReactNode;
}) {
  const { t, locale } = useI18n();
  const user = auth.get()?.user;
  const [menuOpen, setMenuOpen] = useState(false);
  const toolsId = useId();
  const header = useRef<HTMLElement>(null);
  useEffect(() => {
    const el = header.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const root = document.documentElement;
    const note = () => root.style.setProperty('--topbar-h', `${Math.ceil(el.getBoundingClientRect().height)}px`);
    note();
    const watch = new ResizeObserver(note);
    watch.observe(el);
    return () => watch.disconnect();
  }, []);
  return (
    <div className="shell">
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className={menuOpen ? 'topbar menu-open' : 'topbar'} ref={header}>
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
        {user && (
          <button
            type="button"
            className="quiet menu-toggle"
            aria-expanded={menuOpen}
            aria-controls={toolsId}
            onClick={() => setMenuOpen((o) => !o)}
          >
            {shellText(locale, 'shell.menu')}
          </button>
        )}
        <div className={user ? 'topbar-tools collapsible' : 'topbar-tools'} id={toolsId}>
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
        </div>
        {nav}
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
