import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { ManualClock } from '@parley/platform';
import { connectRejected, TestClient } from './support/harness';
import { useMediation } from './support/mediation';
import type { Person } from './support/people';

const SECRET = 'e2e-secret-e2e-secret-e2e-secret-e2e-secret';

/** A socket lives as long as its access token: at its expiry, unless renewed, it leaves every room, is told why and is closed. */
describe('a socket ends with its token', () => {
  // The server's time moves only when a test advances it: expiry without waiting.
  const clock = new ManualClock();
  const { app, m } = useMediation({}, { clock });
  const nowSeconds = () => Math.floor(clock.now() / 1000);
  /** An access token of `who`'s account expiring `seconds` from the server's now. */
  const tokenOf = (who: Person, seconds: number) =>
    new JwtService({ secret: SECRET }).sign(
      { sub: who.userId, typ: 'access', iat: nowSeconds(), exp: nowSeconds() + seconds },
      { algorithm: 'HS256', issuer: 'parley' },
    );
  const chat = (c: TestClient, roomId: string, text: string) => c.ask('chat.post', { roomId, text, clientMessageId: randomUUID() });
  const chatIn = (c: TestClient, text: string) =>
    c.events.filter((e) => e.event === 'room.event' && JSON.stringify(e.payload).includes(text));
  const closed = (c: TestClient) =>
    c.socket.disconnected ? Promise.resolve('already') : new Promise<string>((r) => c.socket.once('disconnect', (reason) => r(reason)));

  it('receives until its expiry, then is told TOKEN_EXPIRED, closed, and receives nothing more; a renewed one carries on', async () => {
    const { a1, a2, b1, b2, caucusA, caucusB } = m();
    // New pages for a1 and b1, on tokens that end in 30 s; a2 and b2 keep the mediation's 900 s tokens.
    const ending = await TestClient.connect(app().url, tokenOf(a1, 30));
    const renewing = await TestClient.connect(app().url, tokenOf(b1, 30));
    try {
      expect((await ending.join(m().session.id)).room.id).toBe(caucusA);
      expect((await renewing.join(m().session.id)).room.id).toBe(caucusB);

      // (a) Before expiry, a caucus message reaches it.
      expect((await chat(m().client(a2), caucusA, 'before expiry')).ok).toBe(true);
      await ending.waitFor('room.event', (e) => JSON.stringify(e).includes('before expiry'));

      // The other renews 1 s before its token ends, with a token of its own account good for 10 min.
      clock.advance(29_000);
      const renewed = await renewing.ask('auth.renew', { token: tokenOf(b1, 600) });
      expect(renewed.ok).toBe(true);

      // (b) Past the first token's expiry: told why, then closed by the server.
      const reason = closed(ending);
      clock.advance(2_000);
      expect(await ending.waitFor('auth.expired')).toEqual({ code: 'TOKEN_EXPIRED', message: expect.any(String) });
      expect(await reason).toBe('io server disconnect');
      expect(ending.socket.connected).toBe(false);

      // Nothing more reaches it: a2's message in its caucus arrives to a1's other page (and the
      // renewed b1 keeps receiving in its own).
      expect((await chat(m().client(a2), caucusA, 'after expiry')).ok).toBe(true);
      await m()
        .client(a1)
        .waitFor('room.event', (e) => JSON.stringify(e).includes('after expiry'));
      // (c) The renewed socket is still connected past the first expiry, and still receives.
      expect(renewing.socket.connected).toBe(true);
      expect((await chat(m().client(b2), caucusB, 'still here')).ok).toBe(true);
      await renewing.waitFor('room.event', (e) => JSON.stringify(e).includes('still here'));
      await new Promise((r) => setTimeout(r, 200));
      expect(chatIn(ending, 'after expiry')).toEqual([]);
      expect(renewing.socket.connected).toBe(true);

      // The renewal's own expiry ends it in turn.
      const renewedReason = closed(renewing);
      clock.advance(600_000);
      expect(await renewing.waitFor('auth.expired')).toMatchObject({ code: 'TOKEN_EXPIRED' });
      expect(await renewedReason).toBe('io server disconnect');
    } finally {
      ending.close();
      renewing.close();
    }
  });

  it('forgets the end of a socket that closed first (no wake-up left behind, nothing fires)', async () => {
    const { observer } = m();
    const before = clock.pending;
    const c = await TestClient.connect(app().url, tokenOf(observer, 30));
    await c.ask('presence.get', {}); // a round trip: the server has set the socket up
    expect(clock.pending).toBe(before + 1);
    c.close();
    const deadline = Date.now() + 5000;
    while (clock.pending !== before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(clock.pending).toBe(before);
    expect(() => clock.advance(31_000)).not.toThrow();
    expect(c.events.map((e) => e.event)).not.toContain('auth.expired');
  });

  it('refuses the handshake of a valid token whose account does not exist', async () => {
    const ghost = new JwtService({ secret: SECRET }).sign(
      { sub: randomUUID(), typ: 'access', iat: nowSeconds(), exp: nowSeconds() + 60 },
      { algorithm: 'HS256', issuer: 'parley' },
    );
    expect((await connectRejected(app().url, ghost)).code).toBe('TOKEN_INVALID');
  });
});
