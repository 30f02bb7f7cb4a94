import { useEffect, useRef, useState } from 'react';
import type { ParticipantView, PresenceOverview } from '@parley/contracts';
import { api } from '../lib/api';

/**
 * The session's participants by id (for what the overview does not carry: who heads a delegation),
 * read again whenever the overview shows someone not known yet or a role may have changed.
 */
export function usePeople(sessionId: string, overview: PresenceOverview | null): Map<string, ParticipantView> {
  const [people, setPeople] = useState<Map<string, ParticipantView>>(new Map());
  const ids = overview ? [...overview.lobby, ...overview.rooms.flatMap((r) => r.occupants)].map((o) => `${o.participantId}:${o.role}`) : [];
  const key = ids.sort().join(',');
  const asked = useRef('');
  useEffect(() => {
    if (!key || asked.current === key) return;
    asked.current = key;
    let live = true;
    api
      .participants(sessionId)
      .then((list) => live && setPeople(new Map(list.map((p) => [p.id, p]))))
      .catch(() => undefined); // the board still shows roles; the head badge waits for the next change
    return () => {
      live = false;
    };
  }, [sessionId, key]);
  return people;
}

/**
 * Where each person was before the room they are in now (or before the lobby), as this page saw
 * it: what a Move list starts on. Unknown after a reload until people move. Worked out when a new
 * overview arrives (React's "adjust state when a prop changes" pattern, no effect needed).
 */
export function useLastRooms(overview: PresenceOverview | null): ReadonlyMap<string, string | null> {
  const [track, setTrack] = useState<{
    overview: PresenceOverview | null;
    current: Map<string, string | null>;
    last: Map<string, string | null>;
  }>(() => ({ overview: null, current: new Map(), last: new Map() }));
  if (!overview || overview === track.overview) return track.last;
  const now = new Map<string, string | null>();
  for (const o of overview.lobby) now.set(o.participantId, null);
  for (const r of overview.rooms) for (const o of r.occupants) now.set(o.participantId, r.room.id);
  const last = new Map(track.last);
  for (const [id, roomId] of now) {
    const before = track.current.get(id);
    if (before !== undefined && before !== null && before !== roomId) last.set(id, before);
  }
  setTrack({ overview, current: now, last });
  return last;
}
