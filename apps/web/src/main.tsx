import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { I18nProvider } from './i18n/i18n';
import { restoreSignIn } from './lib/api';
import './styles.css';

// A reload keeps the sign-in: the HttpOnly cookie renews it before the first render, so a signed-in
// person does not see the sign-in form flash by.
void restoreSignIn().then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <I18nProvider>
        <App />
      </I18nProvider>
    </StrictMode>,
  ),
);

// Repeat visits load the app from the browser (apps/web/build/service-worker.js): production builds
// only, and only where a browser allows a worker (HTTPS, or localhost). The page works without it.
if (import.meta.env.PROD && window.isSecureContext && 'serviceWorker' in navigator)
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch((e: unknown) => console.warn('Parley: no service worker', e));
  });
