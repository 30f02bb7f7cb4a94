import type {
  AgreementView,
  BreakView,
  ConsultationSummaryView,
  LocationChanged,
  MediaActivity,
  OccupantView,
  ParticipantView,
  PresenceOverview,
  ProposalView,
  RoomEvent,
  RoomFloor,
  RoomHistory,
  RoomPresence,
  RoomView,
  SessionStatus,
  SessionView,
  ShuttleMessageView,
} from '@parley/contracts';

/**
 * Everything one participant's page knows of a session, built only from what the server sent this
 * participant. Plain data and a pure reducer: the page renders it, the specs prove it.
 */
export interface SessionState {
  session: SessionView;
  status: SessionStatus;
  /** The break while the session is suspended (reason, start, announced end); null otherwise. */
  break: BreakView | null;
  me: ParticipantView & { roomId: string | null };
  /** The mediators' overview of every room and the lobby (null for the others). */
  overview: PresenceOverview | null;
  /** Who is in each room this participant watches. */
  occupants: Record<string, OccupantView[]>;
  /** Each room's stream, ascending by seq, without duplicates. */
  streams: Record<string, RoomEvent[]>;
  /** Shuttle messages by id: one's own delegation's, or (mediators) the review queue. */
  shuttle: Record<string, ShuttleMessageView>;
  agreement: AgreementView | null;
  proposals: Record<string, ProposalView>;
  /**
   * Where each room's stream, as read, begins: the seq before the first event held when it was
   * first read (an empty room: its latest seq then). Set once a room is read; events before it are
   * older history, not a hole — events between it and the first one held are.
   */
  floors: Record<string, number>;
  /** Rooms whose stream has a hole the page must fill from history. */
  gaps: string[];
  /** connecting: no socket yet; joining: connected, the session join under way; online: joined. */
  connection: 'connecting' | 'joining' | 'online' | 'offline';
  /**
   * One live page per participant: `elsewhere` — another device took this session over (this page
   * stopped until "Use here"); `taken_over` — this page just took it over from another device.
   */
  device: 'here' | 'elsewhere' | 'taken_over';
  /** The last join failed (removed, the session closed to them, no answer); cleared by the next join. */
  fatal: { code: string; message: string } | null;
  /**
   * The floor (hands up in order, the mediator's clock) of each room this page may see: its own
   * room; every room for a mediator. Keyed by room id.
   */
  roomFloors: Record<string, RoomFloor>;
  /**
   * The server's clock minus this page's, in ms, from the latest floor received: a clock counts
   * down from `endsAt` by the server's time, so every page shows the same remaining time.
   */
  serverOffsetMs: number;
  /** Who is speaking in each room (media activity; a mediator hears of every room), null: silence. */
  speaking: Record<string, string | null>;
  /**
   * Where each person was before the room they are in now (or before the lobby), as this page saw
   * it — kept per session across reloads by the controller: what a Move list starts on.
   */
  lastRooms: Record<string, string>;
  /** The consultation summaries the mediators tabled in this session, by id (everyone seated sees them). */
  consultationSummaries: Record<string, ConsultationSummaryView>;
}

export type SessionAction =
  | { type: 'location'; e: LocationChanged }
  | { type: 'status'; status: SessionStatus; break?: BreakView | null }
  | { type: 'overview'; e: PresenceOverview }
  | { type: 'room.presence'; e: RoomPresence }
  | { type: 'room.event'; e: RoomEvent }
  | { type: 'history'; h: RoomHistory }
  | { type: 'shuttle'; messages: ShuttleMessageView[] }
  | { type: 'agreement'; view: AgreementView }
  | { type: 'proposals'; proposals: ProposalView[] }
  | { type: 'session'; session: SessionView }
  | { type: 'connection'; connection: SessionState['connection'] }
  | { type: 'device'; device: SessionState['device'] }
  | { type: 'fatal'; error: { code: string; message: string } }
  /** Floors pushed (room.floor) or answered to an action: each replaces its room's, unless older. */
  | { type: 'floor'; floors: RoomFloor[]; receivedAt: number }
  /** Every floor this page may see (floor.get): replaces them all. */
  | { type: 'floors'; floors: RoomFloor[]; receivedAt: number }
  | { type: 'activity'; e: MediaActivity }
  | { type: 'lastRooms'; lastRooms: Record<string, string> }
  /** Tabled consultation summaries, read or pushed (consultation.summary): each kept once, by id. */
  | { type: 'summaries'; summaries: ConsultationSummaryView[] };

export function initialState(session: SessionView): SessionState {
  return {
    session,
    status: session.status,
    break: session.status === 'suspended' ? (session.break ?? null) : null,
    me: session.me,
    overview: null,
    occupants: {},
    streams: {},
    shuttle: {},
    agreement: null,
    proposals: {},
    floors: {},
    gaps: [],
    connection: 'connecting',
    device: 'here',
    fatal: null,
    roomFloors: {},
    serverOffsetMs: 0,
    speaking: {},
    lastRooms: {},
    consultationSummaries: {},
  };
}

export function reduce(s: SessionState, a: SessionAction): SessionState {
  switch (a.type) {
    case 'session': {
      // Where we are comes from location events (they are ordered); a REST reading may be older.
      const me = { ...a.session.me, roomId: s.me.roomId };
      const sameSide = me.role === s.me.role && me.partyId === s.me.partyId;
      const brk = a.session.status === 'suspended' ? (a.session.break ?? null) : null;
      if (sameSide) return { ...s, session: a.session, status: a.session.status, break: brk, me };
      // A new role or delegation: nothing read under the old one may stay on the page.
      return {
        ...initialState({ ...a.session, me }),
        connection: s.connection,
        device: s.device,
        overview: null,
        serverOffsetMs: s.serverOffsetMs,
        lastRooms: s.lastRooms,
      };
    }
    case 'connection':
      if (s.connection === a.connection) return s;
      return { ...s, connection: a.connection, fatal: a.connection === 'online' ? null : s.fatal };
    case 'device':
      return s.device === a.device ? s : { ...s, device: a.device };
    case 'fatal':
      // A refusal saying the session is closed is news of the closing: a page that was reconnecting
      // when it closed missed session.status, and shows the closed page rather than "joining" for ever.
      if (a.error.code === 'SESSION_CLOSED') return { ...s, fatal: a.error, status: 'closed', break: null };
      return { ...s, fatal: a.error };
    case 'location': {
      if (a.e.participantId !== s.me.id) return s;
      const rooms = a.e.room && !s.session.rooms.some((r) => r.id === a.e.room!.id) ? [...s.session.rooms, a.e.room] : s.session.rooms;
      const roomId = a.e.room?.id ?? null;
      // Out of a room, nothing of its floor stays on a participant's page (a mediator sees every room's).
      const roomFloors = isMediatorRole(s.me.role) ? s.roomFloors : keepOnly(s.roomFloors, roomId);
      const speaking = isMediatorRole(s.me.role) ? s.speaking : keepOnly(s.speaking, roomId);
      return { ...s, session: { ...s.session, rooms }, me: { ...s.me, roomId }, roomFloors, speaking };
    }
    case 'status':
      // A break belongs to a suspension: any other status ends it, whatever the event carried.
      return { ...s, status: a.status, break: a.status === 'suspended' ? (a.break ?? s.break) : null };
    case 'overview':
      return { ...s, overview: a.e, lastRooms: lastRoomsAfter(s.lastRooms, s.overview, a.e) };
    case 'floor': {
      const roomFloors = { ...s.roomFloors };
      let latest: RoomFloor | null = null;
      for (const f of a.floors) {
        if (f.sessionId !== s.session.id) continue;
        const held = roomFloors[f.roomId];
        // Floors can cross on the wire (an action's answer and the push): the server's later one wins.
        if (held && Date.parse(held.serverTime) > Date.parse(f.serverTime)) continue;
        roomFloors[f.roomId] = f;
        latest = f;
      }
      if (!latest) return s;
      return { ...s, roomFloors, serverOffsetMs: Date.parse(latest.serverTime) - a.receivedAt };
    }
    case 'floors': {
      const roomFloors: Record<string, RoomFloor> = {};
      for (const f of a.floors) if (f.sessionId === s.session.id) roomFloors[f.roomId] = f;
      const last = a.floors.at(-1);
      return { ...s, roomFloors, serverOffsetMs: last ? Date.parse(last.serverTime) - a.receivedAt : s.serverOffsetMs };
    }
    case 'activity':
      if (a.e.sessionId !== s.session.id || s.speaking[a.e.roomId] === a.e.speaking) return s;
      return { ...s, speaking: { ...s.speaking, [a.e.roomId]: a.e.speaking } };
    case 'lastRooms':
      return { ...s, lastRooms: { ...a.lastRooms, ...s.lastRooms } };
    case 'summaries': {
      const mine = a.summaries.filter((x) => x.sessionId === s.session.id && !s.consultationSummaries[x.id]);
      if (mine.length === 0) return s;
      return { ...s, consultationSummaries: { ...s.consultationSummaries, ...Object.fromEntries(mine.map((x) => [x.id, x])) } };
    }
    case 'room.presence':
      return { ...s, occupants: { ...s.occupants, [a.e.roomId]: a.e.occupants } };
    case 'room.event': {
      const streams = appendEvents(s.streams, a.e.roomId, [a.e]);
      const current = s.streams[a.e.roomId] ?? [];
      const floor = s.floors[a.e.roomId];
      // A room read empty has held everything up to its floor: its first live event may follow a hole.
      const last = current.length ? current[current.length - 1].seq : (floor ?? null);
      // Only a room whose stream the page has read can have a hole: otherwise history fills it.
      const gap = last !== null && a.e.seq > last + 1 && !s.gaps.includes(a.e.roomId);
      const withShuttle = a.e.type === 'shuttle.message' ? upsertShuttle(s.shuttle, [a.e.payload]) : s.shuttle;
      return { ...s, streams, shuttle: withShuttle, gaps: gap ? [...s.gaps, a.e.roomId] : s.gaps };
    }
    case 'history': {
      const streams = appendEvents(s.streams, a.h.roomId, a.h.events);
      const stream = streams[a.h.roomId];
      const read = s.floors[a.h.roomId];
      const floor = stream.length ? Math.min(read ?? Infinity, stream[0].seq - 1) : (read ?? a.h.lastSeq);
      const floors = read === floor ? s.floors : { ...s.floors, [a.h.roomId]: floor };
      const holes = stream.length > 0 && contiguousEnd(stream, floor) !== stream[stream.length - 1].seq;
      const shuttleViews = a.h.events.flatMap((e) => (e.type === 'shuttle.message' ? [e.payload] : []));
      return {
        ...s,
        streams,
        floors,
        shuttle: upsertShuttle(s.shuttle, shuttleViews),
        gaps: holes ? s.gaps : s.gaps.filter((r) => r !== a.h.roomId),
      };
    }
    case 'shuttle':
      return { ...s, shuttle: upsertShuttle(s.shuttle, a.messages) };
    case 'agreement':
      // Texts can cross on the wire: the highest revision wins.
      return s.agreement && s.agreement.revision > a.view.revision ? s : { ...s, agreement: a.view };
    case 'proposals': {
      const proposals = { ...s.proposals };
      for (const p of a.proposals) if (!isStale(proposals[p.id], p)) proposals[p.id] = p;
      return { ...s, proposals };
    }
  }
}

const isMediatorRole = (role: string): boolean => role === 'lead_mediator' || role === 'co_mediator';

function keepOnly<T>(byRoom: Record<string, T>, roomId: string | null): Record<string, T> {
  const keys = Object.keys(byRoom);
  if (keys.every((k) => k === roomId)) return byRoom;
  return roomId && roomId in byRoom ? { [roomId]: byRoom[roomId] } : {};
}

/** Where each person is in an overview (null: the lobby). */
function placesIn(o: PresenceOverview): Map<string, string | null> {
  const at = new Map<string, string | null>();
  for (const p of o.lobby) at.set(p.participantId, null);
  for (const r of o.rooms) for (const p of r.occupants) at.set(p.participantId, r.room.id);
  return at;
}

/** A person who left a room (for another, or the lobby) has it as their last room. */
export function lastRoomsAfter(
  last: Record<string, string>,
  before: PresenceOverview | null,
  after: PresenceOverview,
): Record<string, string> {
  if (!before) return last;
  const was = placesIn(before);
  let next = last;
  for (const [id, roomId] of placesIn(after)) {
    const prev = was.get(id);
    if (prev && prev !== roomId && next[id] !== prev) next = { ...next, [id]: prev };
  }
  return next;
}

/**
 * The time left on a room's clock, in whole seconds (never below 0, never above its duration), by
 * the server's clock: the same on every page whatever each machine's clock says. The offset is
 * measured when a floor arrives, so it errs by that message's transit (it makes the clock look a
 * little longer): hence the cap at the duration that was set.
 */
export function secondsLeft(endsAt: string, serverOffsetMs: number, now = Date.now(), durationSeconds = Infinity): number {
  return Math.min(durationSeconds, Math.max(0, Math.ceil((Date.parse(endsAt) - (now + serverOffsetMs)) / 1000)));
}

/** Merges events into a room's stream: ascending by seq, each seq once. */
export function appendEvents(streams: Record<string, RoomEvent[]>, roomId: string, events: RoomEvent[]): Record<string, RoomEvent[]> {
  if (!events.length) return roomId in streams ? streams : { ...streams, [roomId]: [] };
  const bySeq = new Map<number, RoomEvent>();
  for (const e of streams[roomId] ?? []) bySeq.set(e.seq, e);
  for (const e of events) bySeq.set(e.seq, e);
  return { ...streams, [roomId]: [...bySeq.values()].sort((x, y) => x.seq - y.seq) };
}

/**
 * Whether `incoming` is an older reading of a proposal than `current` (a list fetched before an
 * event, an action's reply crossing one): a decided proposal never reopens, responses never vanish.
 */
export function isStale(current: ProposalView | undefined, incoming: ProposalView): boolean {
  if (!current) return false;
  if (current.status !== 'open' && incoming.status === 'open') return true;
  return incoming.status === current.status && incoming.responses.length < current.responses.length;
}

/** The seq up to which a room's stream has no hole: history is read from there. */
export function contiguousEnd(stream: readonly RoomEvent[], floor?: number): number {
  // Read from `floor` on: a first event past floor + 1 means a hole right at the start.
  if (floor !== undefined && (!stream.length || stream[0].seq > floor + 1)) return floor;
  for (let i = 1; i < stream.length; i++) if (stream[i].seq !== stream[i - 1].seq + 1) return stream[i - 1].seq;
  return stream.length ? stream[stream.length - 1].seq : 0;
}

/** A later state of a message replaces an earlier one (never the other way round). */
function upsertShuttle(map: Record<string, ShuttleMessageView>, views: ShuttleMessageView[]): Record<string, ShuttleMessageView> {
  if (!views.length) return map;
  const next = { ...map };
  for (const v of views) {
    const old = next[v.id];
    if (!old || old.updatedAt <= v.updatedAt) next[v.id] = v;
  }
  return next;
}

export function roomById(s: SessionState, roomId: string | null): RoomView | null {
  return roomId
    ? (s.session.rooms.find((r) => r.id === roomId) ?? s.overview?.rooms.find((r) => r.room.id === roomId)?.room ?? null)
    : null;
}

/** The negotiating text may change: it is being drafted and the session is not closed. */
export const textIsDrafting = (s: SessionState): boolean => s.agreement?.status === 'drafting' && s.status !== 'closed';
