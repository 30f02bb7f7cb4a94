import type { ApiError, BulkMoveResult, InvitableRole, InvitationCreated, InvitationView } from '@parley/contracts';
import { accessToken, ApiFailure } from '../lib/api';

/** A move the server refused as part of a bulk move, with the person's name. */
export interface RefusedMove {
  participantId: string;
  displayName: string;
  roomId: string;
  code: string;
}

/** A refusal that carries the server's details (a bulk move's refused moves). */
export class DetailedFailure extends ApiFailure {
  constructor(
    status: number,
    code: ApiFailure['code'],
    message: string,
    field: string | undefined,
    retryable: boolean | undefined,
    readonly details: Record<string, unknown> | undefined,
  ) {
    super(status, code, message, field, retryable);
  }

  /** Who could not be moved, when the refusal was a bulk move's. */
  get refused(): RefusedMove[] {
    const r = this.details?.refused;
    return Array.isArray(r) ? (r as RefusedMove[]) : [];
  }
}

/** The console's requests: the same headers and errors as the rest of the client (lib/api.ts). */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = await accessToken();
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        'x-parley-csrf': '1',
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
    const err = (await res.json().catch(() => ({}))) as Partial<ApiError> & { details?: Record<string, unknown> };
    throw new DetailedFailure(res.status, err.code ?? 'INTERNAL', err.message ?? res.statusText, err.field, err.retryable, err.details);
  }
  const text = res.status === 204 ? '' : await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

const s = (sessionId: string) => `/api/sessions/${encodeURIComponent(sessionId)}`;

export interface NewInvitation {
  role: InvitableRole;
  displayName?: string;
  partyId?: string;
  isHead?: boolean;
  email?: string;
}

export const consoleApi = {
  /** Several moves, all or none (the server refuses the whole request when one is not allowed). */
  moveMany: (sessionId: string, moves: Array<{ participantId: string; roomId: string }>) =>
    call<BulkMoveResult>('POST', `${s(sessionId)}/moves`, { moves }),
  toCaucuses: (sessionId: string) => call<BulkMoveResult>('POST', `${s(sessionId)}/moves/caucuses`),
  toPlenary: (sessionId: string) => call<BulkMoveResult>('POST', `${s(sessionId)}/moves/plenary`),

  invitations: (sessionId: string) => call<InvitationView[]>('GET', `${s(sessionId)}/invitations`),
  invite: (sessionId: string, b: NewInvitation) => call<InvitationCreated>('POST', `${s(sessionId)}/invitations`, b),
  revokeInvitation: (sessionId: string, id: string) => call<void>('DELETE', `${s(sessionId)}/invitations/${encodeURIComponent(id)}`),
  reissueInvitation: (sessionId: string, id: string) =>
    call<InvitationCreated>('POST', `${s(sessionId)}/invitations/${encodeURIComponent(id)}/reissue`),
};
