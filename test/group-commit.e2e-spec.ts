import { randomUUID } from 'node:crypto';
import type { RoomEvent } from '@parley/contracts';
import { useMediation, type Mediation } from './support/mediation';
import type { Person } from './support/people';
import { RoomStreams } from '../libs/shuttle/src/application/room-streams';
import type { SqlRoomStreams } from '../libs/shuttle/src/infrastructure/room-streams';

/**
 * Issue 17: chat posts arriving together are written together (group commit), and each keeps
 * what a post alone has — its own acknowledgement once stored with its audit entry, its gap-free
 * number in the room, its idempotency, and the seat check at write time. Run on both databases (the
 * e2e project runs on the embedded one, CI again on PostgreSQL), with and without a window.
 */
type Trail = { entries: Array<{ type: string; payload: any }>; verification: { valid: boolean; length: number } };

/** `count` posts by `who` into `roomId`, `inFlight` at a time; each post's answer in order. */
async function postMany(m: Mediation, who: Person, roomId: string, count: number, inFlight: number, tag: string) {
  const answers: Array<{ ok: boolean; data?: RoomEvent; error?: { code: string } }> = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        const n = next++;
        answers[n] = await m.client(who).ask<RoomEvent>('chat.post', { roomId, text: `${tag} ${n}`, clientMessageId: randomUUID() });
      }
    }),
  );
  return answers;
}

describe.each([
  ['no window', { CHAT_COMMIT_WINDOW_MS: '0' }],
  ['a 3 ms window', { CHAT_COMMIT_WINDOW_MS: '3', CHAT_COMMIT_MAX_BATCH: '16' }],
])('chat group commit (%s)', (_label, env) => {
  const ctx = useMediation(env);
  let m: Mediation;
  beforeAll(() => {
    m = ctx.m();
  });
  const stats = () => ctx.app().app.get<RoomStreams, SqlRoomStreams>(RoomStreams).groupCommitStats();
  const trail = async (): Promise<Trail> => (await m.get(m.mediator, '/audit').expect(200)).body;

  it('writes posts arriving together in fewer writes, each acknowledged once with its own number and audit entry', async () => {
    const before = stats();
    const trailBefore = await trail();
    const posters: Array<[Person, string]> = [
      [m.a1, m.caucusA],
      [m.a2, m.caucusA],
      [m.b1, m.caucusB],
      [m.b2, m.caucusB],
    ];
    const answers = await Promise.all(posters.map(([p, room], k) => postMany(m, p, room, 40, 6, `batch ${k}`)));
    const after = stats();
    const acked = answers.flat();
    expect(acked.filter((a) => !a.ok)).toEqual([]);
    expect(after.posts - before.posts).toBe(160);
    // Fewer writes than posts: the posts went together (24 in flight at once).
    expect(after.writes - before.writes).toBeLessThan(160);
    console.log(`group commit (${_label}): 160 posts, 24 in flight, in ${after.writes - before.writes} writes`);

    for (const room of [m.caucusA, m.caucusB]) {
      const history = (await m.get(m.mediator, `/rooms/${room}/events?limit=200`).expect(200)).body;
      const seqs = history.events.map((e: RoomEvent) => e.seq).sort((a: number, b: number) => a - b);
      expect(seqs).toEqual(seqs.map((_: number, i: number) => i + 1)); // gap-free
      expect(history.lastSeq).toBe(seqs.length);
      // Each acknowledgement names exactly the stored event.
      const mine = acked.filter((a) => a.data!.roomId === room).map((a) => a.data!);
      const stored = new Map(history.events.map((e: RoomEvent) => [e.seq, e]));
      for (const a of mine)
        expect(stored.get(a.seq)).toMatchObject({
          type: 'chat.message',
          payload: { id: (a.payload as any).id, text: (a.payload as any).text },
        });
      expect(new Set(mine.map((a) => a.seq)).size).toBe(mine.length);
    }

    const t = await trail();
    expect(t.verification).toEqual({ valid: true, length: t.entries.length });
    const posted = t.entries.slice(trailBefore.entries.length).filter((e) => e.type === 'chat.message.posted');
    expect(posted).toHaveLength(160);
    expect(new Set(posted.map((e) => e.payload.eventId))).toEqual(new Set(acked.map((a) => (a.data!.payload as any).id)));
  });

  it('a key sent many times at once is stored once, and every copy is answered with it', async () => {
    const key = randomUUID();
    const copies = await Promise.all(
      Array.from({ length: 8 }, () =>
        m.client(m.a1).ask<RoomEvent>('chat.post', { roomId: m.caucusA, text: 'Once only', clientMessageId: key }),
      ),
    );
    expect(copies.every((c) => c.ok)).toBe(true);
    expect(new Set(copies.map((c) => (c.ok ? c.data.seq : -1))).size).toBe(1);
    const history = (await m.get(m.a1, `/rooms/${m.caucusA}/events?limit=200`).expect(200)).body;
    expect(history.events.filter((e: RoomEvent) => e.type === 'chat.message' && (e.payload as any).clientMessageId === key)).toHaveLength(
      1,
    );
    const seqs = history.events.map((e: RoomEvent) => e.seq).sort((a: number, b: number) => a - b);
    expect(seqs).toEqual(seqs.map((_: number, i: number) => i + 1));
  });

  it('never stores a batched post in a room its author was moved out of', async () => {
    // Ali keeps 6 posts in flight into caucus A, Ana 6 more beside him (so his go in batches with
    // hers), while the mediator moves Ali to the plenary.
    const trailBefore = (await trail()).entries.length;
    let moved = false;
    let refusedAfterMove = 0;
    const ali = (async () => {
      const answers: Array<{ ok: boolean; error?: { code: string } }> = [];
      await Promise.all(
        Array.from({ length: 6 }, async (_, lane) => {
          for (let n = 0; n < 60 && refusedAfterMove < 12; n++) {
            const a = await m
              .client(m.a2)
              .ask('chat.post', { roomId: m.caucusA, text: `racing ${lane}.${n}`, clientMessageId: randomUUID() });
            answers.push(a);
            if (moved && !a.ok) refusedAfterMove++;
          }
        }),
      );
      return answers;
    })();
    const ana = postMany(m, m.a1, m.caucusA, 120, 6, 'beside');
    await new Promise((r) => setTimeout(r, 60));
    await m.post(m.mediator, `/participants/${m.a2.participantId}/move`, { roomId: m.plenary }).expect(200);
    moved = true;
    const [aliAnswers, anaAnswers] = await Promise.all([ali, ana]);
    expect(anaAnswers.filter((a) => !a.ok)).toEqual([]);
    expect(aliAnswers.filter((a) => !a.ok).map((a) => a.error!.code)).toEqual(expect.arrayContaining(['NOT_IN_ROOM']));
    expect(new Set(aliAnswers.filter((a) => !a.ok).map((a) => a.error!.code))).toEqual(new Set(['NOT_IN_ROOM']));

    const entries = (await trail()).entries.slice(trailBefore);
    const moveAt = entries.findIndex((e) => e.type === 'participant.moved' && e.payload.participantId === m.a2.participantId);
    expect(moveAt).toBeGreaterThanOrEqual(0);
    const late = entries
      .slice(moveAt)
      .filter(
        (e) => e.type === 'chat.message.posted' && e.payload.authorParticipantId === m.a2.participantId && e.payload.roomId === m.caucusA,
      );
    expect(late).toEqual([]);
    const history = (await m.get(m.a1, `/rooms/${m.caucusA}/events?limit=200`).expect(200)).body;
    const seqs = history.events.map((e: RoomEvent) => e.seq).sort((a: number, b: number) => a - b);
    expect(seqs).toEqual(seqs.map((_: number, i: number) => seqs[0] + i));
    await m.place(m.a2, m.caucusA);
  });
});
