import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { RoomEvent } from '@parley/contracts';
import { useMediation, type Mediation } from './support/mediation';
import { bearer, type Person } from './support/people';
import { PostingContexts } from '../libs/shuttle/src/application/posting-contexts';
import { RoomStreams } from '../libs/shuttle/src/application/room-streams';
import type { SqlPostingContexts } from '../libs/shuttle/src/infrastructure/posting-context';
import type { SqlRoomStreams } from '../libs/shuttle/src/infrastructure/room-streams';

/**
 * Issue 17: a chat post is decided on a posting context remembered from the poster's last post
 * (no read per post), and that must never let through a post the present forbids. Each row below
 * changes one fact the decision read — through the API, as another instance would, so nothing
 * tells this instance's memory — and the next post, decided on the remembered context, must be
 * refused at write time (counted `stale`) and answered with the refusal a fresh read gives, with
 * nothing stored and nothing audited. Then the change is undone and posting works again. Run on
 * both databases (the e2e project runs on the embedded one, CI again on PostgreSQL).
 */
type Ack = { ok: boolean; data?: RoomEvent; error?: { code: string } };

describe('chat posts decided on a remembered context', () => {
  const ctx = useMediation();
  let m: Mediation;
  beforeAll(() => {
    m = ctx.m();
  });
  const streams = () => ctx.app().app.get<RoomStreams, SqlRoomStreams>(RoomStreams).groupCommitStats();
  const contexts = () => ctx.app().app.get<PostingContexts, SqlPostingContexts>(PostingContexts).stats();
  const say = (who: Person, roomId: string, text: string): Promise<Ack> =>
    m.client(who).ask<RoomEvent>('chat.post', { roomId, text, clientMessageId: randomUUID() });
  const role = (who: Person, body: object) =>
    ctx.app().http().patch(`/api/sessions/${m.session.id}/participants/${who.participantId}/role`).set(bearer(m.mediator)).send(body);
  const posted = async (roomId: string, text: string) =>
    (await m.get(m.mediator, `/rooms/${roomId}/events?limit=200`).expect(200)).body.events.filter(
      (e: RoomEvent) => e.type === 'chat.message' && (e.payload as { text: string }).text === text,
    );
  const audited = async () =>
    ((await m.get(m.mediator, '/audit').expect(200)).body.entries as Array<{ type: string }>).filter(
      (e) => e.type === 'chat.message.posted',
    ).length;

  it('posts from memory: one read for a poster, then none while nothing changes', async () => {
    expect((await say(m.a2, m.caucusA, 'warming')).ok).toBe(true);
    const before = contexts();
    for (let n = 0; n < 10; n++) expect((await say(m.a2, m.caucusA, `from memory ${n}`)).ok).toBe(true);
    const after = contexts();
    expect(after.recalled - before.recalled).toBe(10);
    expect(after.reads - before.reads).toBe(0);
  });

  let joint: string;
  const rows: Array<{ change: string; room: () => string; code: string; make: () => Promise<unknown>; undo: () => Promise<unknown> }> = [
    {
      change: 'the poster moved to the plenary',
      room: () => m.caucusA,
      code: 'NOT_IN_ROOM',
      make: () => m.place(m.a2, m.plenary),
      undo: () => m.place(m.a2, m.caucusA),
    },
    {
      change: 'the session suspended for a break',
      room: () => m.caucusA,
      code: 'SESSION_NOT_OPEN',
      make: () => m.post(m.mediator, '/status', { status: 'suspended', reason: 'Lunch' }).expect(200),
      undo: () => m.post(m.mediator, '/status', { status: 'open' }).expect(200),
    },
    {
      change: 'the poster made an observer',
      room: () => m.plenary,
      code: 'OBSERVER_READ_ONLY',
      make: async () => {
        await m.place(m.a2, m.plenary);
        await say(m.a2, m.plenary, 'remembered in the plenary');
        await role(m.a2, { role: 'observer' }).expect(200);
      },
      undo: async () => {
        await role(m.a2, { role: 'party_member', partyId: m.partyA }).expect(200);
        await m.place(m.a2, m.caucusA);
      },
    },
    {
      change: 'the joint room the poster sits in closed',
      room: () => joint,
      code: 'ROOM_CLOSED',
      make: async () => {
        joint = (await m.post(m.mediator, '/rooms', { name: 'Drafting', memberIds: [m.a2.participantId] }).expect(201)).body.id;
        await m.place(m.a2, joint);
        expect((await say(m.a2, joint, 'remembered in the joint room')).ok).toBe(true);
        await ctx.app().http().delete(`/api/sessions/${m.session.id}/rooms/${joint}`).set(bearer(m.mediator)).expect(204);
      },
      undo: () => m.place(m.a2, m.caucusA),
    },
  ];

  it.each(rows)('refuses at write time once $change ($code), and posts again once undone', async ({ room, code, make, undo }) => {
    expect((await say(m.a2, m.caucusA, 'before the change')).ok).toBe(true);
    await make();
    const auditBefore = await audited();
    const before = { contexts: contexts(), streams: streams() };
    const text = `after the change: ${code}`;
    const answer = await say(m.a2, room(), text);
    expect(answer).toMatchObject({ ok: false, error: { code } });
    const after = { contexts: contexts(), streams: streams() };
    // Decided on the remembered context, caught by the write, decided again on a fresh read.
    expect(after.contexts.recalled - before.contexts.recalled).toBe(1);
    expect(after.streams.stale - before.streams.stale).toBe(1);
    expect(after.contexts.reads - before.contexts.reads).toBe(1);
    expect(await posted(room(), text)).toEqual([]);
    expect(await audited()).toBe(auditBefore);

    await undo();
    expect((await say(m.a2, m.caucusA, `undone: ${code}`)).ok).toBe(true);
  });

  it('never remembers a refusal: refused from the wrong room, then moved there, the next post goes through', async () => {
    const refused = await say(m.a2, m.plenary, 'from the caucus');
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    await m.place(m.a2, m.plenary);
    const before = contexts();
    const text = 'now in the plenary';
    expect((await say(m.a2, m.plenary, text)).ok).toBe(true);
    // The remembered context refused; a fresh read let the post through.
    expect(contexts().reads - before.reads).toBe(1);
    expect(await posted(m.plenary, text)).toHaveLength(1);
    await m.place(m.a2, m.caucusA);
  });

  it('writes the name the poster has now, not the one remembered', async () => {
    // No route renames a participant today; the name is in the message, so the write checks it
    // too, and a rename (made here in the database, as a future route or an operator would) is a
    // stale decision.
    expect((await say(m.b2, m.caucusB, 'named once')).ok).toBe(true);
    const renamed = 'Bo South (renamed)';
    await ctx.app().app.get(DataSource).query(`UPDATE participants SET display_name = $1 WHERE id = $2`, [renamed, m.b2.participantId]);
    const before = streams();
    const answer = await say(m.b2, m.caucusB, 'named twice');
    expect(answer.ok).toBe(true);
    expect(answer.data!.payload).toMatchObject({ authorName: renamed });
    expect(streams().stale - before.stale).toBe(1);
  });

  it('refuses a mediator once the session has closed (the last case: a closed session stays closed)', async () => {
    // A mediator may post in any status but closed. Closing returns everyone to the lobby in the
    // same transaction, so the write finds the seat gone (and the status changed) under the
    // remembered context.
    expect((await say(m.mediator, m.mediatorRoom, 'before the end')).ok).toBe(true);
    await m.post(m.mediator, '/status', { status: 'closed' }).expect(200);
    const before = streams();
    const answer = await say(m.mediator, m.mediatorRoom, 'after the end');
    expect(answer).toMatchObject({ ok: false, error: { code: 'SESSION_CLOSED' } });
    expect(streams().stale - before.stale).toBe(1);
    expect(await posted(m.mediatorRoom, 'after the end')).toEqual([]);
  });
});
