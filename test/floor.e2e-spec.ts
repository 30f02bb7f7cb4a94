import type { RoomFloor, SessionView } from '@parley/contracts';
import { ERROR_STATUS } from '@parley/platform';
import { startApp, TestClient, type TestApp } from './support/harness';
import { bearer, createSession, inviteNew, register, roomOf, type Person } from './support/people';

/**
 * The floor of a room over Socket.IO, with a real server, database and clients: hands raised in
 * order reach the mediators wherever they are, a mediator lowers one, a move drops the mover's hand
 * (the old room is told), the mediator's clock is the same on every page, and the floor survives a
 * reconnect. Bad input changes nothing.
 */
describe('the floor of a room', () => {
  let app: TestApp;
  let session: SessionView;
  let lead: Person;
  let northA: Person;
  let northB: Person;
  let south: Person;
  let observer: Person;
  const s = {} as Record<'lead' | 'northA' | 'northB' | 'south' | 'observer', TestClient>;
  let plenary: string;
  let caucusNorth: string;
  let foreignRoom: string;

  const post = (who: Person, path: string, body: object = {}) =>
    app.http().post(`/api/sessions/${session.id}${path}`).set(bearer(who)).send(body);
  const move = (p: Person, roomId: string) => post(lead, `/participants/${p.participantId}/move`, { roomId }).expect(200);
  const audit = async () => (await app.http().get(`/api/sessions/${session.id}/audit`).set(bearer(lead)).expect(200)).body.entries as any[];
  const handsIn = (f: RoomFloor | undefined) => f?.hands.map((h) => h.participantId);
  /** The latest room.floor of a room a socket received. */
  const lastFloor = (c: TestClient, roomId: string): RoomFloor | undefined =>
    c.events.filter((e) => e.event === 'room.floor' && e.payload.roomId === roomId).at(-1)?.payload;
  const floors = async (c: TestClient): Promise<RoomFloor[]> => {
    const r = await c.ask<RoomFloor[]>('floor.get', {});
    if (!r.ok) throw new Error(r.error.code);
    return r.data;
  };

  beforeAll(async () => {
    app = await startApp();
    lead = await register(app, 'Lead');
    session = await createSession(app, lead, ['North', 'South']);
    const [north, southParty] = session.parties;
    northA = await inviteNew(app, lead, session.id, 'North Head', { role: 'party_member', partyId: north.id, isHead: true });
    northB = await inviteNew(app, lead, session.id, 'North Member', { role: 'party_member', partyId: north.id });
    south = await inviteNew(app, lead, session.id, 'South Member', { role: 'party_member', partyId: southParty.id });
    observer = await inviteNew(app, lead, session.id, 'Observer', { role: 'observer' });
    await post(lead, '/status', { status: 'open' }).expect(200);
    plenary = roomOf(session, 'plenary').id;
    caucusNorth = north.caucusRoomId!;
    const other = await createSession(app, await register(app, 'Elsewhere'), ['X']);
    foreignRoom = roomOf(other, 'plenary').id;
    for (const p of [northB, south, observer]) await move(p, plenary);
    await move(northA, caucusNorth);
    // The mediator stays in the lobby: the floors reach them wherever they are.
    for (const [k, p] of [
      ['lead', lead],
      ['northA', northA],
      ['northB', northB],
      ['south', south],
      ['observer', observer],
    ] as const) {
      s[k] = await TestClient.connect(app.url, p.token);
      await s[k].join(session.id);
    }
  }, 180_000);
  afterAll(async () => {
    Object.values(s).forEach((c) => c.close());
    await app.close();
  });

  it('brings hands from two parties, in a caucus and in the plenary, to the mediator in the order they went up', async () => {
    const before = (await audit()).length;
    for (const who of [s.northA, s.south, s.northB]) expect((await who.ask('hand.raise', {})).ok).toBe(true);
    await s.lead.waitFor('room.floor', (f: RoomFloor) => f.roomId === plenary && f.hands.length === 2);
    expect(handsIn(lastFloor(s.lead, caucusNorth))).toEqual([northA.participantId]);
    expect(handsIn(lastFloor(s.lead, plenary))).toEqual([south.participantId, northB.participantId]);
    // The mediator's overview: every room; a member's: their own room only.
    const all = await floors(s.lead);
    expect(all.map((f) => f.roomId)).toEqual(expect.arrayContaining([plenary, caucusNorth]));
    expect(handsIn(all.find((f) => f.roomId === plenary))).toEqual([south.participantId, northB.participantId]);
    expect((await floors(s.northA)).map((f) => f.roomId)).toEqual([caucusNorth]);
    expect((await floors(s.observer)).map((f) => f.roomId)).toEqual([plenary]);
    // Nothing of the caucus reaches the plenary's observer or the other party.
    expect(s.observer.mentioning(caucusNorth)).toEqual([]);
    expect(s.south.mentioning(caucusNorth)).toEqual([]);
    // Raised again: the place in the queue is kept, nothing is written.
    const again = await s.south.ask<RoomFloor>('hand.raise', {});
    expect(again.ok && handsIn(again.data)).toEqual([south.participantId, northB.participantId]);
    const entries = (await audit()).slice(before);
    expect(entries.map((e) => e.type)).toEqual(['hand.raised', 'hand.raised', 'hand.raised']);
  });

  it('lets the mediator lower anyone’s hand, and a member only their own', async () => {
    const refused = await s.northB.ask('hand.lower', { participantId: south.participantId });
    expect(refused.ok ? 'allow' : refused.error.code).toBe('MEDIATOR_ONLY');
    s.observer.clear();
    const lowered = await s.lead.ask<RoomFloor>('hand.lower', { participantId: south.participantId });
    expect(lowered.ok && handsIn(lowered.data)).toEqual([northB.participantId]);
    const seen = await s.observer.waitFor('room.floor', (f: RoomFloor) => f.roomId === plenary);
    expect(handsIn(seen)).toEqual([northB.participantId]);
    expect((await audit()).at(-1)).toMatchObject({
      type: 'hand.lowered',
      payload: { participantId: south.participantId, byMediator: true },
    });
    // Not up any more: nothing changes.
    const twice = await s.lead.ask<RoomFloor>('hand.lower', { participantId: south.participantId });
    expect(twice.ok && handsIn(twice.data)).toEqual([northB.participantId]);
  });

  it('drops the hand of someone moved out of the room, and tells the room they left', async () => {
    s.observer.clear();
    s.lead.clear();
    await move(northB, caucusNorth);
    const told = await s.observer.waitFor('room.floor', (f: RoomFloor) => f.roomId === plenary);
    expect(handsIn(told)).toEqual([]);
    await s.lead.waitFor('room.floor', (f: RoomFloor) => f.roomId === plenary && f.hands.length === 0);
    // In the new room the hand is not up either: it belonged to the plenary.
    expect(handsIn((await floors(s.lead)).find((f) => f.roomId === caucusNorth))).toEqual([northA.participantId]);

    // A bulk move (everyone to the plenary) drops the caucus hand too; so does the lobby.
    await post(lead, '/moves/plenary').expect(200);
    await s.lead.waitFor('room.floor', (f: RoomFloor) => f.roomId === caucusNorth && f.hands.length === 0);
    expect((await s.south.ask('hand.raise', {})).ok).toBe(true);
    await post(lead, `/participants/${south.participantId}/lobby`).expect(200);
    await s.lead.waitFor('room.floor', (f: RoomFloor) => f.roomId === plenary && !handsIn(f)!.includes(south.participantId!));
    expect(handsIn((await floors(s.lead)).find((f) => f.roomId === plenary))).toEqual([]);
    await move(south, plenary);
    await move(northA, caucusNorth);
  });

  it('refuses observers and mediators a hand, and non-mediators the clock, with 403 codes', async () => {
    const asks = [
      [s.observer, 'hand.raise', {}, 'OBSERVER_READ_ONLY'],
      [s.observer, 'hand.lower', {}, 'OBSERVER_READ_ONLY'],
      [s.lead, 'hand.raise', {}, 'PARTY_MEMBER_ONLY'],
      [s.observer, 'timer.set', { roomId: plenary, seconds: 60, purpose: 'speaking' }, 'MEDIATOR_ONLY'],
      [s.south, 'timer.set', { roomId: plenary, seconds: 60, purpose: 'speaking' }, 'MEDIATOR_ONLY'],
      [s.south, 'timer.clear', { roomId: plenary }, 'MEDIATOR_ONLY'],
    ] as const;
    for (const [client, event, payload, code] of asks) {
      const r = await client.ask(event, payload);
      expect([event, r.ok ? 'allow' : r.error.code]).toEqual([event, code]);
      expect(ERROR_STATUS[code]).toBe(403);
    }
  });

  it('answers bad input with its code and field, and changes nothing', async () => {
    const before = (await audit()).length;
    const floorBefore = (await floors(s.lead)).map(({ serverTime: _t, ...f }) => f);
    const bad: Array<[object, string, string | undefined, number]> = [
      [{ roomId: plenary, seconds: 0, purpose: 'speaking' }, 'VALIDATION_FAILED', 'seconds', 400],
      [{ roomId: plenary, seconds: 86401, purpose: 'speaking' }, 'VALIDATION_FAILED', 'seconds', 400],
      [{ roomId: plenary, seconds: 1.5, purpose: 'speaking' }, 'VALIDATION_FAILED', 'seconds', 400],
      [{ roomId: plenary, seconds: 60, purpose: 'speaking', label: 'x'.repeat(81) }, 'VALIDATION_FAILED', 'label', 400],
      [{ roomId: plenary, seconds: 60, purpose: 'speaking', label: 'North\u202E' }, 'VALIDATION_FAILED', 'label', 400],
      [{ roomId: plenary, seconds: 60, purpose: 'lunch' }, 'VALIDATION_FAILED', 'purpose', 400],
      [{ roomId: 'plenary', seconds: 60, purpose: 'speaking' }, 'VALIDATION_FAILED', 'roomId', 400],
      [{ roomId: crypto.randomUUID(), seconds: 60, purpose: 'speaking' }, 'ROOM_NOT_FOUND', 'roomId', 404],
      [{ roomId: foreignRoom, seconds: 60, purpose: 'speaking' }, 'ROOM_NOT_FOUND', 'roomId', 404],
    ];
    for (const [payload, code, field, status] of bad) {
      const r = await s.lead.ask('timer.set', payload);
      expect(r.ok ? 'allow' : { code: r.error.code, field: r.error.field }).toEqual({ code, field });
      expect(ERROR_STATUS[code as keyof typeof ERROR_STATUS]).toBe(status);
    }
    const clear = await s.lead.ask('timer.clear', { roomId: foreignRoom });
    expect(clear.ok ? 'allow' : clear.error.code).toBe('ROOM_NOT_FOUND');
    const lower = await s.lead.ask('hand.lower', { participantId: crypto.randomUUID() });
    expect(lower.ok ? 'allow' : [lower.error.code, lower.error.field]).toEqual(['PARTICIPANT_NOT_FOUND', 'participantId']);
    const extra = await s.south.ask('hand.raise', { roomId: caucusNorth });
    expect(extra.ok ? 'allow' : extra.error.code).toBe('VALIDATION_FAILED');
    expect((await audit()).length).toBe(before);
    expect((await floors(s.lead)).map(({ serverTime: _t, ...f }) => f)).toEqual(floorBefore);
  });

  it('shows every page of the room the same clock, and the mediators too', async () => {
    for (const c of Object.values(s)) c.clear();
    const set = await s.lead.ask<RoomFloor>('timer.set', { roomId: plenary, seconds: 120, purpose: 'speaking', label: '  North’s reply ' });
    if (!set.ok) throw new Error(set.error.code);
    const { timer } = set.data;
    expect(timer).toMatchObject({ purpose: 'speaking', label: 'North’s reply', durationSeconds: 120, setBy: lead.participantId });
    expect(Date.parse(timer!.endsAt) - Date.parse(set.data.serverTime)).toBeGreaterThan(119_000);
    expect(Date.parse(timer!.endsAt) - Date.parse(set.data.serverTime)).toBeLessThanOrEqual(120_000);
    const seen = await Promise.all([s.south, s.observer].map((c) => c.waitFor('room.floor', (f: RoomFloor) => f.roomId === plenary)));
    expect(seen.map((f) => f.timer?.endsAt)).toEqual([timer!.endsAt, timer!.endsAt]);
    // The caucus hears nothing of the plenary's clock.
    await s.northA.sync();
    expect(s.northA.mentioning(plenary)).toEqual([]);
    expect((await audit()).at(-1)).toMatchObject({ type: 'timer.set', payload: { roomId: plenary, durationSeconds: 120 } });
  });

  it('keeps the floor across a reconnect', async () => {
    expect((await s.south.ask('hand.raise', {})).ok).toBe(true);
    const endsAt = (await floors(s.lead)).find((f) => f.roomId === plenary)!.timer!.endsAt;
    s.south.close();
    s.south = await TestClient.connect(app.url, south.token);
    await s.south.join(session.id);
    const [mine] = await floors(s.south);
    expect(mine.roomId).toBe(plenary);
    expect(handsIn(mine)).toEqual([south.participantId]);
    expect(mine.timer?.endsAt).toBe(endsAt);
  });

  it('clears the clock for everyone in the room', async () => {
    s.observer.clear();
    const cleared = await s.lead.ask<RoomFloor>('timer.clear', { roomId: plenary });
    expect(cleared.ok && cleared.data.timer).toBeNull();
    expect((await s.observer.waitFor('room.floor', (f: RoomFloor) => f.roomId === plenary)).timer).toBeNull();
    expect((await audit()).at(-1)).toMatchObject({ type: 'timer.cleared', payload: { roomId: plenary } });
  });
  it('drops a hand when its owner becomes someone who holds none, and on a break', async () => {
    const [north] = session.parties;
    expect((await s.northB.ask('hand.raise', {})).ok).toBe(true);
    expect(handsIn((await floors(s.lead)).find((f) => f.roomId === plenary))).toContain(northB.participantId);
    s.lead.clear();
    const role = (body: object) =>
      app.http().patch(`/api/sessions/${session.id}/participants/${northB.participantId}/role`).set(bearer(lead)).send(body);
    await role({ role: 'observer' }).expect(200);
    await s.lead.waitFor('room.floor', (f: RoomFloor) => f.roomId === plenary && !handsIn(f)!.includes(northB.participantId!));
    await role({ role: 'party_member', partyId: north.id }).expect(200);
    // Back as a member in the same room: the hand stays down.
    expect(handsIn((await floors(s.lead)).find((f) => f.roomId === plenary))).not.toContain(northB.participantId);

    const raised = await s.south.ask<RoomFloor>('hand.raise', {});
    expect(raised.ok && handsIn(raised.data)).toContain(south.participantId);
    s.lead.clear();
    await post(lead, '/status', { status: 'suspended' }).expect(200);
    await s.lead.waitFor('room.floor', (f: RoomFloor) => f.roomId === plenary && f.hands.length === 0);
    await post(lead, '/status', { status: 'open' }).expect(200);
    expect(handsIn((await floors(s.lead)).find((f) => f.roomId === plenary))).toEqual([]);
  });
});
