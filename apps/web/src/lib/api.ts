import type {
  AgreementView,
  ApiError,
  ErrorCode,
  InvitationAccepted,
  InvitationPreview,
  MediaStatusView,
  ParticipantView,
  RoomView,
  ProposalChange,
  ProposalResponse,
  ProposalView,
  ProposalVisibility,
  RedlineView,
  SessionSummary,
  SessionView,
  SignInView,
  TokenPair,
  Registered,
} from '@parley/contracts';
import { isRetryable } from '@parley/contracts';
import { auth } from './auth-store';

/** A refused request, as the server explained it: a stable code, a sentence, the field at fault. */
export class ApiFailure extends Error {
  /** Trying again later may succeed: an outage the server named (`retryable`), or no answer at all. */
  readonly retryable: boolean;

  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly field?: string,
    retryable?: boolean,
  ) {
    super(message);
    this.name = 'ApiFailure';
    this.retryable = Boolean(retryable) || code === 'NETWORK' || isRetryable(code);
  }

  static of(e: unknown): ApiFailure {
    if (e instanceof ApiFailure) return e;
    return new ApiFailure(0, 'NETWORK', e instanceof Error ? e.message : String(e));
  }
}

let refreshing: Promise<string | null> | null = null;

/** Sent with every request; the refresh endpoint refuses a renewal by cookie without it (CSRF). */
const CSRF = { 'x-parley-csrf': '1' };

/**
 * A renewal through the HttpOnly refresh cookie. Refresh tokens rotate and a reused one revokes
 * the whole sign-in, and every tab of this origin shares the cookie: tabs take turns (a Web Lock),
 * so each presents the cookie the previous one left.
 */
async function renewByCookie(): Promise<TokenPair>;
async function renewByCookie(unless: () => boolean): Promise<TokenPair | null>;
async function renewByCookie(unless?: () => boolean): Promise<TokenPair | null> {
  // `unless`, asked once this page's turn comes: nothing to renew any more (signed in meanwhile).
  const renew = () => (unless?.() ? null : send<TokenPair>('POST', '/api/auth/refresh', {}, null));
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? locks.request('parley.refresh', renew) : renew();
}

/**
 * One refresh at a time, shared by every request that found the access token stale. `renew`: a
 * refresh whatever this page's clock says (the server ended a socket whose token it finds expired).
 */
async function freshToken(renew = false): Promise<string | null> {
  const a = auth.get();
  if (!a) return null;
  if (!renew && Date.now() < a.refreshAfter) return a.accessToken;
  refreshing ??= (async () => {
    try {
      const pair = await renewByCookie();
      auth.set(pair);
      return pair.accessToken;
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 401) auth.clear(true);
      throw e;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** The restoration under way in this page, if any. */
let restoring: Promise<void> | null = null;

/**
 * On load (and when another tab signs in): the sign-in this browser holds, if any, renewed through
 * the cookie. Resolves once the server has answered — signed in or not — or after `waitMs`, when it
 * goes on trying in the background (the server away: the page shows the sign-in form meanwhile,
 * and follows as soon as the renewal succeeds).
 */
export function restoreSignIn(waitMs = 3000): Promise<void> {
  // One restoration at a time per page: the load's and another tab's "signed in" would otherwise
  // renew twice, and a reload during the second renewal (the server rotated the cookie, the page
  // never stored the new one) presents a spent token next time, which ends the sign-in everywhere.
  restoring ??= (async function attempt(n: number): Promise<void> {
    try {
      const pair = await renewByCookie(() => auth.get() !== null);
      if (pair) auth.set(pair);
    } catch (e) {
      if (e instanceof ApiFailure && !e.retryable) return; // no sign-in to renew: signed out
      await new Promise((r) => setTimeout(r, Math.min(8000, 500 * 2 ** n)));
      if (!auth.get()) return attempt(n + 1);
    }
  })(0).finally(() => {
    restoring = null;
  });
  return Promise.race([restoring, new Promise<void>((r) => setTimeout(r, waitMs))]);
}

auth.onOtherTab((m) => {
  if (m === 'signed-in' && !auth.get()) void restoreSignIn();
});

/** One HTTP request; a refusal becomes the server's ApiFailure (code, sentence, field). */
async function request(method: string, path: string, body: unknown, token: string | null): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        ...CSRF,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (e) {
    throw ApiFailure.of(e);
  }
  if (!res.ok) {
    const err = (await res.json().catch(() => ({}))) as Partial<ApiError>;
    throw new ApiFailure(res.status, err.code ?? 'INTERNAL', err.message ?? res.statusText, err.field, err.retryable);
  }
  return res;
}

async function send<T>(method: string, path: string, body: unknown, token: string | null): Promise<T> {
  const res = await request(method, path, body, token);
  const text = res.status === 204 ? '' : await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  return send<T>(method, path, body, await freshToken());
}

/** A file the API serves to a signed-in participant (the final text's exports). */
async function file(path: string): Promise<Blob> {
  return (await request('GET', path, undefined, await freshToken())).blob();
}

/** The current access token (refreshed when due), for the socket handshake. */
export const accessToken = (): Promise<string | null> => freshToken();
/** A new access token from the refresh token, now (null once signed out). */
export const renewedAccessToken = (): Promise<string | null> => freshToken(true);

const s = (sessionId: string) => `/api/sessions/${encodeURIComponent(sessionId)}`;

/** Parley's REST API, typed against libs/contracts. */
export const api = {
  register: (b: { email: string; password: string; displayName: string }) => send<Registered>('POST', '/api/auth/register', b, null),
  /** Follows a confirmation link: signed in to its account, or with the password (of the account, or of the claim). */
  verifyEmail: async (b: { token: string; password?: string }) =>
    send<TokenPair>('POST', '/api/auth/verify-email', b, auth.get() ? await freshToken().catch(() => null) : null),
  /** A new confirmation link to the signed-in account's address; `next`: where it leads afterwards. */
  resendVerification: (next?: string) => call<void>('POST', '/api/auth/verify-email/resend', next ? { next } : {}),
  login: (b: { email: string; password: string }) => send<TokenPair>('POST', '/api/auth/login', b, null),

  sessions: () => call<SessionSummary[]>('GET', '/api/sessions'),
  createSession: (b: { title: string; description?: string; parties?: string[] }) => call<SessionView>('POST', '/api/sessions', b),
  session: (id: string) => call<SessionView>('GET', s(id)),
  updateSession: (id: string, b: { coolingOffSeconds?: number; title?: string }) => call<SessionView>('PATCH', s(id), b),

  previewInvitation: (token: string) => send<InvitationPreview>('GET', `/api/invitations/${encodeURIComponent(token)}`, undefined, null),
  acceptInvitation: async (token: string, b: { email?: string; password?: string; displayName?: string }) =>
    send<InvitationAccepted>(
      'POST',
      `/api/invitations/${encodeURIComponent(token)}/accept`,
      b,
      auth.get() && !b.password ? await freshToken() : null,
    ),

  /** The text over HTTP: readable after the session closed, when the socket may no longer join. */
  agreement: (id: string) => call<AgreementView>('GET', `${s(id)}/agreement`),
  /** A delete takes the mediator's password, checked afresh by the server. */
  editText: (id: string, change: ProposalChange, password?: string) =>
    call<AgreementView>('POST', `${s(id)}/agreement/changes`, password === undefined ? { change } : { change, password }),
  proposals: (id: string) => call<ProposalView[]>('GET', `${s(id)}/agreement/proposals`),
  propose: (
    id: string,
    b: { change: ProposalChange; visibility: ProposalVisibility; rationale?: string; counterTo?: string; clientProposalId: string },
  ) => call<ProposalView>('POST', `${s(id)}/agreement/proposals`, b),
  respond: (id: string, proposalId: string, b: { response: ProposalResponse; comment?: string }) =>
    call<ProposalView>('POST', `${s(id)}/agreement/proposals/${proposalId}/responses`, b),
  adopt: (id: string, proposalId: string) => call<ProposalView>('POST', `${s(id)}/agreement/proposals/${proposalId}/adopt`),
  withdrawProposal: (id: string, proposalId: string) => call<ProposalView>('POST', `${s(id)}/agreement/proposals/${proposalId}/withdraw`),
  mark: (id: string, clauseId: string, b: { baseVersion: number; level: 'none' | 'ad_referendum' | 'agreed' }) =>
    call<AgreementView>('POST', `${s(id)}/agreement/clauses/${clauseId}/mark`, b),
  /** The delegation supports an option of a disputed segment (moving its support from another); null withdraws it. */
  support: (id: string, clauseId: string, segmentId: string, b: { baseVersion: number; optionId: string | null }) =>
    call<AgreementView>('POST', `${s(id)}/agreement/clauses/${clauseId}/segments/${segmentId}/support`, b),
  redline: (id: string, clauseId: string, from: number, to: number) =>
    call<RedlineView>('GET', `${s(id)}/agreement/clauses/${clauseId}/redline?from=${from}&to=${to}`),
  exportText: (id: string, format: 'markdown' | 'html' | 'json') => file(`${s(id)}/agreement/export?format=${format}`),
  participants: (id: string) => call<ParticipantView[]>('GET', `${s(id)}/participants`),
  openJointRoom: (id: string, b: { name: string; memberIds: string[] }) => call<RoomView>('POST', `${s(id)}/rooms`, b),
  closeRoom: (id: string, roomId: string) => call<void>('DELETE', `${s(id)}/rooms/${roomId}`),
  finalise: (id: string) => call<AgreementView>('POST', `${s(id)}/agreement/finalise`),
  /** The head's password, typed again, is checked afresh by the server at the moment of signing. */
  signOff: (id: string, sha256: string, password: string) =>
    call<AgreementView>('POST', `${s(id)}/agreement/sign-off`, { sha256, password }),

  mediaStatus: () => send<MediaStatusView>('GET', '/api/media/status', undefined, null),

  /** Ends this sign-in on the server (its refresh token, its tokens, its sockets everywhere). */
  signOut: () => call<void>('POST', '/api/auth/sign-out'),
  /** The account's live sign-ins, this one marked `current`. */
  signIns: () => call<SignInView[]>('GET', '/api/auth/sign-ins'),
  endSignIn: (id: string) => call<void>('DELETE', `/api/auth/sign-ins/${encodeURIComponent(id)}`),
  /** Deletes the account (the password typed again); its sockets close, this page signs out. */
  deleteAccount: (password: string) => call<void>('DELETE', '/api/auth/me', { password }),
};
