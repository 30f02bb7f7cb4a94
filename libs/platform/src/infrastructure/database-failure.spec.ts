import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client, DatabaseError, Pool } from 'pg';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '../domain/domain-error';
import { databaseFailureCause as sut } from './database-failure';

/** A pg error as the server sends it (severity FATAL/ERROR, a SQLSTATE, a message). */
const serverError = (code: string, message: string) => Object.assign(new DatabaseError(message, 0, 'error'), { code, severity: 'FATAL' });
const wrapped = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('databaseFailureCause', () => {
  describe('real failures of a real driver', () => {
    let silent: Server;
    const held: Socket[] = [];
    let silentPort: number;
    let closedPort: number;

    beforeAll(async () => {
      // A port that refuses: bound and released, nothing listens on it any more.
      const probe = createServer();
      await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
      closedPort = (probe.address() as AddressInfo).port;
      await new Promise((r) => probe.close(r));
      // A server that accepts and never answers, like a hung PostgreSQL.
      silent = createServer((s) => held.push(s));
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
      silentPort = (silent.address() as AddressInfo).port;
    });
    afterAll(async () => {
      held.forEach((s) => s.destroy());
      await new Promise((r) => silent.close(r));
    });

    it('a refused connection', async () => {
      const client = new Client({ host: '127.0.0.1', port: closedPort, user: 'x', database: 'x' });
      const error = await client.connect().then(
        () => null,
        (e: unknown) => e,
      );
      expect(sut(error)).toMatch(/ECONNREFUSED/);
    });

    it('a server that does not answer within the connection timeout, through the pool', async () => {
      const pool = new Pool({ host: '127.0.0.1', port: silentPort, user: 'x', database: 'x', connectionTimeoutMillis: 200 });
      const error = await pool.query('SELECT 1').then(
        () => null,
        (e: unknown) => e,
      );
      await pool.end();
      expect(sut(error)).toMatch(/timeout/i);
    });
  });

  it.each([
    [
      'the server shutting down under a query (57P01)',
      wrapped(serverError('57P01', 'terminating connection due to administrator command')),
    ],
    ['a crash shutdown (57P02)', serverError('57P02', 'terminating connection because of crash of another server process')],
    ['a server starting up (57P03)', serverError('57P03', 'the database system is starting up')],
    ['a server shutting down (57P03)', serverError('57P03', 'the database system is shutting down')],
    ['a connection exception (class 08)', serverError('08006', 'connection failure')],
    ['a connection that cannot be established (08001)', wrapped(serverError('08001', 'could not connect'))],
    ['a connection dropped under a query', wrapped(new Error('Connection terminated unexpectedly'))],
    ['the pool waiting too long for a connection', new Error('timeout exceeded when trying to connect')],
    ['a query without an answer within query_timeout', new Error('Query read timeout')],
    ['a client broken by an earlier connection error', new Error('Client has encountered a connection error and is not queryable')],
    ['a reset socket', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    [
      'a refused dual-stack connect (AggregateError without a message)',
      Object.assign(new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })], ''), {
        code: 'ECONNREFUSED',
      }),
    ],
  ])('%s is an outage', (_what, error) => {
    const cause = sut(error);
    expect(cause).not.toBeNull();
    expect(cause).not.toMatch(/\n/);
  });

  it.each([
    ['a unique violation', wrapped(serverError('23505', 'duplicate key value violates unique constraint "x"'))],
    ['a syntax error', serverError('42601', 'syntax error at or near "SELEC"')],
    ['a wrong password (a configuration mistake, not an outage)', serverError('28P01', 'password authentication failed for user "x"')],
    ['a statement cancelled by statement_timeout', serverError('57014', 'canceling statement due to statement timeout')],
    ['a pool ended by our own shutdown', new Error('Cannot use a pool after calling end on the pool')],
    ['a domain error', new DomainError('ROOM_NOT_FOUND', 'No such room.')],
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a thrown string', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('%s is not', (_what, error) => {
    expect(sut(error)).toBeNull();
  });
});
