import type { ErrorCode } from '@parley/contracts';

/**
 * A rule said no. Thrown by domain and application code; mapped once to an HTTP status
 * (see error-status.ts) and once to a socket acknowledgement. The message is for people and
 * must never carry data of a room the caller is not entitled to.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
