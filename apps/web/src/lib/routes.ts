/** The pages of the client. `/invitations/<token>` is the link the server puts in invitations. */
export type Route =
  | { page: 'home' }
  | { page: 'sign-in'; next: string | null }
  | { page: 'invitation'; token: string }
  | { page: 'session'; sessionId: string }
  /** The link of an address-confirmation mail; `next` is where it leads afterwards (a path of this site). */
  | { page: 'verify-email'; token: string; next: string | null }
  /** The account: sign-ins (end one), sign out, delete the account. */
  | { page: 'account' };

export function parseRoute(path: string, search = ''): Route {
  const inv = /^\/invitations\/([^/]+)\/?$/.exec(path);
  if (inv) return { page: 'invitation', token: decodeURIComponent(inv[1]) };
  const ses = /^\/sessions\/([0-9a-fA-F-]{36})\/?$/.exec(path);
  if (ses) return { page: 'session', sessionId: ses[1] };
  if (path === '/verify-email') {
    const q = new URLSearchParams(search);
    const next = q.get('next');
    return {
      page: 'verify-email',
      token: q.get('token') ?? '',
      next: next && /^\/[A-Za-z0-9/_-]*$/.test(next) && !next.startsWith('//') ? next : null,
    };
  }
  if (path === '/account') return { page: 'account' };
  if (path === '/sign-in') return { page: 'sign-in', next: new URLSearchParams(search).get('next') };
  return { page: 'home' };
}
