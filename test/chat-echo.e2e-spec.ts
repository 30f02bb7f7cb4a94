import { randomUUID } from 'node:crypto';
import type { RoomEvent } from '@parley/contracts';
import { TestClient } from './support/harness';
import { useMediation, type Mediation } from './support/mediation';

/**
 * Issue 17, item 4: the sender of a chat message is not sent it twice. Its acknowledgement carries
 * the stored event and the room's broadcast skips the socket it came over; the sender's other
 * sockets (a second device, another tab) get it like everyone else in the room.
 */
describe('chat: no echo to the sending socket', () => {
  const ctx = useMediation();
  let m: Mediation;
  beforeAll(() => {
    m = ctx.m();
  });
  const chatFor = (c: TestClient, id: string) =>
    c.events.filter((e) => e.event === 'room.event' && (e.payload as RoomEvent & { payload: { id: string } }).payload.id === id);

  it('the ack carries the event, the room gets it, the sending socket does not, the sender’s second device does', async () => {
    const second = await TestClient.connect(ctx.app().url, m.a1.token);
    try {
      await second.join(m.session.id);
      const posted = await m
        .client(m.a1)
        .ask<RoomEvent>('chat.post', { roomId: m.caucusA, text: 'Said once', clientMessageId: randomUUID() });
      expect(posted).toMatchObject({ ok: true, data: { roomId: m.caucusA, type: 'chat.message', payload: { text: 'Said once' } } });
      const id = (posted.ok && (posted.data.payload as { id: string }).id) as string;
      const event = posted.ok ? posted.data : null;
      // Everyone in the room has it: the other member, and the sender's second socket.
      expect(await m.client(m.a2).waitFor('room.event', (e) => e.payload?.id === id)).toEqual(event);
      expect(await second.waitFor('room.event', (e) => e.payload?.id === id)).toEqual(event);
      // The sending socket: nothing more than its ack, once everything sent before a later request arrived.
      await m.client(m.a1).sync();
      await new Promise((r) => setTimeout(r, 200));
      expect(chatFor(m.client(m.a1), id)).toEqual([]);
    } finally {
      second.close();
    }
  });

  it('a post over HTTP reaches every socket in the room, the author’s too', async () => {
    const res = await m.post(m.a1, `/rooms/${m.caucusA}/messages`, { text: 'Over HTTP', clientMessageId: randomUUID() }).expect(201);
    const id = res.body.payload.id as string;
    expect(await m.client(m.a1).waitFor('room.event', (e) => e.payload?.id === id)).toMatchObject({ seq: res.body.seq });
    expect(await m.client(m.a2).waitFor('room.event', (e) => e.payload?.id === id)).toMatchObject({ seq: res.body.seq });
  });

  it('a retried post is not sent again to anyone', async () => {
    const key = randomUUID();
    const first = await m.client(m.a1).ask<RoomEvent>('chat.post', { roomId: m.caucusA, text: 'Retried', clientMessageId: key });
    const id = (first.ok && (first.data.payload as { id: string }).id) as string;
    await m.client(m.a2).waitFor('room.event', (e) => e.payload?.id === id);
    const again = await m.client(m.a1).ask<RoomEvent>('chat.post', { roomId: m.caucusA, text: 'Retried', clientMessageId: key });
    expect(again).toEqual(first);
    await m.client(m.a2).sync();
    await new Promise((r) => setTimeout(r, 200));
    expect(chatFor(m.client(m.a2), id)).toHaveLength(1);
    expect(chatFor(m.client(m.a1), id)).toEqual([]);
  });
});
