import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { isRetryable, type ApiError, type HttpErrorBody } from '@parley/contracts';
import { DomainError } from '../domain/domain-error';
import { ERROR_STATUS } from '../domain/error-status';
import { databaseFailureCause } from './database-failure';

const logger = new Logger('Errors');

/**
 * Any thrown value → the public error shape. An outage code (the database, Redis or the SFU away,
 * the server stopping) is marked `retryable`, whoever threw it; no other code is. A database that
 * cannot be reached is DATABASE_UNAVAILABLE and is not logged here: the pool reports each outage
 * once to the DependencyMonitor (see DatabaseConnectivity). Only what is left, a defect, is logged
 * with its stack and answered INTERNAL — which cannot say whether the change was made: a defect may
 * come after the transaction committed (while answering, or telling the room).
 */
export function toApiError(e: unknown): ApiError {
  const error = classify(e);
  return isRetryable(error.code) ? { ...error, retryable: true } : error;
}

function classify(e: unknown): ApiError {
  if (e instanceof DomainError) {
    return { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}), ...(e.details ? { details: e.details } : {}) };
  }
  const parserType = (e as { type?: string } | null)?.type;
  if (parserType === 'entity.parse.failed') return { code: 'MALFORMED_JSON', message: 'The request body is not valid JSON.' };
  if (parserType === 'entity.too.large') return { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' };
  if (parserType === 'charset.unsupported' || parserType === 'encoding.unsupported') {
    return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'The request body must be JSON in UTF-8, sent uncompressed or gzip, deflate or br.' };
  }
  const clientStatus = clientErrorStatus(e);
  if (clientStatus !== undefined && !(e instanceof HttpException)) {
    // Any other refusal by the body parser or the router (a body shorter than its Content-Length,
    // a path that does not decode): the client's mistake, with the status it was given.
    if (clientStatus === 413) return { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' };
    if (clientStatus === 415) return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'The request body is not in a supported format.' };
    return { code: 'VALIDATION_FAILED', message: 'The request could not be read.' };
  }
  if (e instanceof HttpException) {
    const status = e.getStatus();
    if (status === 401) return { code: 'UNAUTHENTICATED', message: 'Sign in first: a valid access token is required.' };
    if (status === 404) return { code: 'ROUTE_NOT_FOUND', message: 'No such endpoint.' };
    if (status === 413) return { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' };
    if (status === 400) return { code: 'VALIDATION_FAILED', message: e.message };
  }
  if (databaseFailureCause(e))
    return { code: 'DATABASE_UNAVAILABLE', message: 'The database cannot be reached for the moment; try again shortly.' };
  logger.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  return {
    code: 'INTERNAL',
    message: 'Something went wrong on our side, and this may or may not have been done: reload to see before trying again.',
  };
}

/** The 4xx status of an http-errors error (what body-parser and the router throw), if it is one. */
function clientErrorStatus(e: unknown): number | undefined {
  const { status, expose } = (e ?? {}) as { status?: unknown; expose?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

export const statusOf = (error: ApiError): number => ERROR_STATUS[error.code];

/** Any thrown value → the HTTP error body (the ApiError with its status). */
export function errorBody(e: unknown): HttpErrorBody {
  const error = toApiError(e);
  return { statusCode: statusOf(error), ...error };
}

/** Maps every error of the HTTP API once: status from the code, body = ApiError + statusCode. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = errorBody(exception);
    const retryAfter = body.details?.retryAfterSeconds;
    // A limit's refusal says when to come back, in the header clients and proxies read (RFC 9110).
    if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
    res.status(body.statusCode).json(body);
  }
}

/**
 * Express error middleware for what fails before Nest sees the request (the JSON body parser):
 * malformed or oversized bodies get the same error shape as everything else.
 */
export function bodyParserErrors(err: unknown, _req: unknown, res: Response, next: (e?: unknown) => void): void {
  if (!err) return next();
  const body = errorBody(err);
  res.status(body.statusCode).json(body);
}
