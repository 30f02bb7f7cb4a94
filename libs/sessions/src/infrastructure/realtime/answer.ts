import type { Ack } from '@parley/contracts';
import { DomainError, toApiError } from '@parley/platform';
import type { SocketData } from './socket-io.channel';

/**
 * The one place where a socket handler's result or error becomes an acknowledgement — shared by
 * every gateway. Checks first (when the event needs one) that the socket has joined a session; the
 * token's expiry was checked before, by the SocketRouter. Errors map through toApiError, as over HTTP: an
 * outage (the database unreachable, Redis or the SFU away, the server stopping) acks its own code
 * with `retryable: true`, never INTERNAL.
 */
export async function answerOn<T>(data: SocketData, needsSession: boolean, work: () => Promise<T>): Promise<Ack<T>> {
  try {
    if (needsSession && !data.sessionId) {
      throw new DomainError('SOCKET_NOT_JOINED', 'Join a session first (session.join).');
    }
    return { ok: true, data: await work() };
  } catch (e) {
    return { ok: false, error: toApiError(e) };
  }
}
