import { useSyncExternalStore } from 'react';
import { auth } from './lib/auth-store';
import { navigate, useRoute } from './lib/router';
import { AccountPage } from './views/account-page';
import { InvitationPage } from './views/invitation-page';
import { SessionPage } from './views/session-page';
import { SessionsPage } from './views/sessions-page';
import { SignInPage } from './views/sign-in-page';
import { VerifyEmailPage } from './views/verify-email-page';

/** Routes: sign-in, an invitation link, the list of one's sessions, and a session. */
export function App() {
  const route = useRoute();
  const signedIn = useSyncExternalStore(auth.subscribe, () => auth.get() !== null);
  if (route.page === 'invitation') return <InvitationPage token={route.token} />;
  if (route.page === 'verify-email') return <VerifyEmailPage token={route.token} next={route.next} />;
  if (!signedIn) {
    const here = location.pathname + location.search;
    return <SignInPage next={route.page === 'sign-in' ? route.next : here === '/' ? null : here} />;
  }
  if (route.page === 'sign-in') {
    queueMicrotask(() => navigate(route.next ?? '/'));
    return null;
  }
  if (route.page === 'account') return <AccountPage />;
  if (route.page === 'session') return <SessionPage key={route.sessionId} sessionId={route.sessionId} />;
  return <SessionsPage />;
}
