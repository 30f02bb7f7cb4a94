import { parseRoute } from './routes';

describe('parseRoute', () => {
  const id = '0192f0c4-7a3e-7b51-9c0d-2f4e6a8b1c3d';
  it.each([
    ['/', { page: 'home' }],
    ['/unknown/place', { page: 'home' }],
    [`/sessions/${id}`, { page: 'session', sessionId: id }],
    [`/sessions/${id}/`, { page: 'session', sessionId: id }],
    ['/sessions/not-a-uuid', { page: 'home' }],
    ['/invitations/abc_DEF-123', { page: 'invitation', token: 'abc_DEF-123' }],
    ['/invitations/a%2Fb', { page: 'invitation', token: 'a/b' }],
  ])('%s', (path, route) => {
    expect(parseRoute(path)).toEqual(route);
  });

  it('reads a confirmation link, and goes on only to a path of this site', () => {
    expect(parseRoute('/verify-email', '?token=abc&next=%2Finvitations%2Fxyz')).toEqual({
      page: 'verify-email',
      token: 'abc',
      next: '/invitations/xyz',
    });
    expect(parseRoute('/verify-email', '?token=abc&next=https://evil.example')).toEqual({ page: 'verify-email', token: 'abc', next: null });
    expect(parseRoute('/verify-email', '?token=abc&next=//evil.example')).toEqual({ page: 'verify-email', token: 'abc', next: null });
  });

  it('keeps where to go after signing in', () => {
    expect(parseRoute('/sign-in', `?next=/sessions/${id}`)).toEqual({ page: 'sign-in', next: `/sessions/${id}` });
    expect(parseRoute('/sign-in')).toEqual({ page: 'sign-in', next: null });
  });
});
