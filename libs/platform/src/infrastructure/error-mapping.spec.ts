import { Logger, NotFoundException } from '@nestjs/common';
import { ERROR_CODES, RETRYABLE_ERROR_CODES } from '@parley/contracts';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '../domain/domain-error';
import { errorBody, toApiError as sut } from './error-mapping';

describe('toApiError', () => {
  let logged: jest.SpyInstance;
  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => logged.mockRestore());

  it.each(ERROR_CODES.map((code) => [code]))(
    '%s thrown as a DomainError keeps its code, and is retryable exactly when the contract says so',
    (code) => {
      const error = sut(new DomainError(code, 'A sentence.', 'field', { allowed: ['x'] }));
      const expected = { code, message: 'A sentence.', field: 'field', details: { allowed: ['x'] } };
      expect(error).toEqual((RETRYABLE_ERROR_CODES as readonly string[]).includes(code) ? { ...expected, retryable: true } : expected);
    },
  );

  it('a database that cannot be reached is 503 DATABASE_UNAVAILABLE, retryable, without a stack trace in the log', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), { code: 'ECONNREFUSED' });
    const shutdown = new QueryFailedError(
      'SELECT 1',
      [],
      Object.assign(new DatabaseError('terminating connection due to administrator command', 0, 'error'), { code: '57P01' }),
    );
    for (const e of [refused, shutdown, new Error('Connection terminated unexpectedly')]) {
      expect(errorBody(e)).toEqual({ statusCode: 503, code: 'DATABASE_UNAVAILABLE', message: expect.any(String), retryable: true });
    }
    // The client is never told where the database lives.
    expect(JSON.stringify(errorBody(refused))).not.toContain('127.0.0.1');
    expect(logged).not.toHaveBeenCalled();
  });

  it('a query the database refused is still a defect: INTERNAL, logged, not retryable', () => {
    const unique = new QueryFailedError(
      'INSERT',
      [],
      Object.assign(new DatabaseError('duplicate key value', 0, 'error'), { code: '23505' }),
    );
    expect(errorBody(unique)).toEqual({ statusCode: 500, code: 'INTERNAL', message: expect.any(String) });
    expect(logged).toHaveBeenCalledTimes(1);
  });

  it('a defect does not claim that nothing changed: it may have come after the commit', () => {
    const error = sut(new TypeError("Cannot read properties of undefined (reading 'id')"));
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toMatch(/may or may not have been done: reload to see/);
    expect(error.message).not.toMatch(/nothing (was )?changed/i);
  });

  it('framework errors keep their mapping, without retryable', () => {
    expect(sut(new NotFoundException())).toEqual({ code: 'ROUTE_NOT_FOUND', message: 'No such endpoint.' });
    expect(sut(Object.assign(new Error('bad json'), { type: 'entity.parse.failed' }))).toEqual({
      code: 'MALFORMED_JSON',
      message: 'The request body is not valid JSON.',
    });
  });
});
