import { DomainError } from '@parley/platform';
import { answerOn as sut } from './answer';

const joined = { userId: 'u', tokenExpiresAt: Date.now() + 60_000, sessionId: 's', participantId: 'p' };

describe('answerOn (socket acknowledgements)', () => {
  it('a database that cannot be reached acks DATABASE_UNAVAILABLE, retryable', async () => {
    const ack = await sut(joined, true, () =>
      Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), { code: 'ECONNREFUSED' })),
    );
    expect(ack).toEqual({ ok: false, error: { code: 'DATABASE_UNAVAILABLE', message: expect.any(String), retryable: true } });
  });

  it.each(['SERVER_STOPPING', 'REDIS_UNAVAILABLE', 'MEDIA_UNAVAILABLE'] as const)(
    '%s thrown by a use case is retryable in the ack',
    async (code) => {
      const ack = await sut(joined, true, () => Promise.reject(new DomainError(code, 'Later.')));
      expect(ack).toEqual({ ok: false, error: { code, message: 'Later.', retryable: true } });
    },
  );

  it('a rule that said no is not retryable', async () => {
    const ack = await sut(joined, true, () => Promise.reject(new DomainError('CAUCUS_FORBIDDEN', 'Not your caucus.')));
    expect(ack).toEqual({ ok: false, error: { code: 'CAUCUS_FORBIDDEN', message: 'Not your caucus.' } });
  });

  it('the check before the work is answered the same way', async () => {
    expect(await sut({ ...joined, sessionId: undefined }, true, () => Promise.resolve(1))).toMatchObject({
      ok: false,
      error: { code: 'SOCKET_NOT_JOINED' },
    });
    expect(await sut(joined, true, () => Promise.resolve(1))).toEqual({ ok: true, data: 1 });
  });
});
