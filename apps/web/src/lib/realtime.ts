import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '@parley/contracts';
import { ApiFailure, accessToken } from './api';

export type ParleySocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ClientEvent = keyof ClientToServerEvents;
type PayloadOf<E extends ClientEvent> = Parameters<ClientToServerEvents[E]>[0];
type AckOf<E extends ClientEvent> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];
export type AnswerOf<E extends ClientEvent> = AckOf<E> extends Ack<infer T> ? T : never;

/**
 * The one Socket.IO connection of this page. The handshake asks for a fresh access token each
 * time, so a reconnection after the token expired still authenticates.
 */
export function connectRealtime(): ParleySocket {
  return io({
    transports: ['websocket'],
    auth: (cb) => {
      accessToken().then(
        (token) => cb({ token: token ?? '' }),
        () => cb({ token: '' }),
      );
    },
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
}

/** Sends one client event and resolves with its data, or rejects with the server's ApiFailure. */
export async function ask<E extends ClientEvent>(
  socket: ParleySocket,
  event: E,
  payload: PayloadOf<E>,
  timeoutMs = 10_000,
): Promise<AnswerOf<E>> {
  let r: AckOf<E>;
  try {
    // socket.io's typed emitWithAck cannot follow a generic event name; the contract types both ends.
    r = await (socket.timeout(timeoutMs) as unknown as { emitWithAck(e: string, p: unknown): Promise<AckOf<E>> }).emitWithAck(
      event,
      payload,
    );
  } catch {
    throw new ApiFailure(0, 'NETWORK', 'No answer from the server.', undefined, true);
  }
  const ack = r as Ack<AnswerOf<E>>;
  if (!ack.ok) throw new ApiFailure(0, ack.error.code, ack.error.message, ack.error.field, ack.error.retryable);
  return ack.data;
}
