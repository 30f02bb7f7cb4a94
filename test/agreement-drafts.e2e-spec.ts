import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DraftStore, type DraftDecidedOn } from '@parley/agreement/application/draft-store';
import { LiveDrafts } from '@parley/agreement/application/live-drafts';
import { COMPACT_EVERY, MERGED_ROW_BYTES } from '@parley/agreement/infrastructure/draft-store';
import { Y } from '@parley/agreement/infrastructure/yjs';
import { SessionDirectory } from '@parley/sessions';
import { freshDatabase, startApp, TestClient, type TestApp } from './support/harness';
import { DraftEditor } from './support/drafts';
import { startMediation, type Mediation } from './support/mediation';
import { raceInside, readDuring } from './support/read-race';
import type { Person } from './support/people';

/** A seeded generator: the same edits on every run, so a failure can be replayed. */
function seeded(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Random inserts and deletes at random places, like people typing over each other. */
function typeAway(e: DraftEditor, rnd: () => number, edits: number, tag: string): void {
  for (let i = 0; i < edits; i++) {
    const t = e.text;
    if (t.length > 4 && rnd() < 0.3) t.delete(Math.floor(rnd() * (t.length - 2)), 1 + Math.floor(rnd() * 2));
    else t.insert(Math.floor(rnd() * (t.length + 1)), `${tag}${i} `);
  }
}

async function converged(editors: DraftEditor[], timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await Promise.all(editors.map((e) => e.settled()));
    const texts = editors.map((e) => e.text.toString());
    if (texts.every((t) => t === texts[0])) return texts[0];
    if (Date.now() > deadline) throw new Error(`no convergence: ${JSON.stringify(texts)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Live drafting converges: several Yjs clients editing one delegation's draft at once — one of them
 * offline for a while — end with the same text, which the server stored and still has after a restart.
 */
describe('live drafts converge, offline included, and persist across an API restart', () => {
  let dir: string;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: TestApp;
  let m: Mediation;
  const extra: TestClient[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-drafts-'));
    db = await freshDatabase();
    app = await startApp(db ? {} : { DATA_DIR: dir }, db ? { url: db.url } : null);
    m = await startMediation(app);
  });
  afterAll(async () => {
    m.close();
    extra.forEach((c) => c.close());
    await app.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const connect = async (p: Person) => {
    const c = await TestClient.connect(app.url, p.token);
    await c.join(m.session.id);
    extra.push(c);
    return c;
  };
  /** The rows a draft's updates take in `draft_updates`. */
  const draftRows = async (key: string) =>
    Number((await app.app.get(DataSource).query(`SELECT count(*) AS n FROM draft_updates WHERE doc_key = $1`, [key]))[0].n);
  const stored = async (p: Person, path: string) => {
    const body = (await m.get(p, path).expect(200)).body;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Buffer.from(body.update, 'base64'));
    return doc.getText('clause').toString();
  };

  it('three editors (two delegates in their caucus, the mediator elsewhere) typing at once converge', async () => {
    const draft = { kind: 'party' as const, partyId: m.partyA };
    const editors = [new DraftEditor(draft), new DraftEditor(draft), new DraftEditor(draft)];
    await editors[0].connect(m.client(m.a1));
    await editors[1].connect(m.client(m.a2));
    await editors[2].connect(m.client(m.mediator));
    const rnd = seeded(42);
    for (let round = 0; round < 5; round++) editors.forEach((e, i) => typeAway(e, rnd, 8, `e${i}r${round}-`));
    const text = await converged(editors);
    expect(text.length).toBeGreaterThan(50);
    expect(editors.every((e) => e.refused.length === 0)).toBe(true);
    expect(await stored(m.mediator, `/drafts/parties/${m.partyA}`)).toBe(text);
    editors.forEach((e) => e.goOffline());
  });

  it('an editor offline for a while sends its edits on reconnect; everyone converges', async () => {
    const draft = { kind: 'mediators' as const };
    const online = new DraftEditor(draft);
    const roaming = new DraftEditor(draft);
    await online.connect(m.client(m.mediator));
    const coMediatorSocket = await connect(m.mediator);
    await roaming.connect(coMediatorSocket);
    online.text.insert(0, 'Article 1. The parties agree. ');
    await converged([online, roaming]);

    roaming.goOffline();
    coMediatorSocket.close();
    const rnd = seeded(7);
    typeAway(roaming, rnd, 25, 'off');
    typeAway(online, rnd, 25, 'on');
    await online.settled();
    expect(roaming.text.toString()).not.toBe(online.text.toString());

    await roaming.connect(await connect(m.mediator));
    const text = await converged([online, roaming]);
    expect(text).toContain('off24');
    expect(text).toContain('on24');
    expect(await stored(m.mediator, '/drafts/mediators')).toBe(text);
    online.goOffline();
    roaming.goOffline();
  });

  it('merges the stored updates as a draft grows, losing nothing and refusing nothing', async () => {
    const draft = { kind: 'party' as const, partyId: m.partyA };
    const typist = new DraftEditor(draft);
    const reader = new DraftEditor(draft);
    await typist.connect(m.client(m.a1));
    await reader.connect(m.client(m.a2));
    const key = `${m.session.id}:party:${m.partyA}`;
    const before = await draftRows(key);
    const updates = 2 * COMPACT_EVERY + 50;
    for (let i = 0; i < updates; i++) {
      typist.text.insert(typist.text.length, i % 10 === 9 ? '|' : 'x');
      if (i % 25 === 0) await typist.settled();
    }
    const text = await converged([typist, reader]);
    expect(typist.refused).toEqual([]);
    expect(text.split('|').length - 1).toBeGreaterThanOrEqual(updates / 10);
    // Compaction runs after the acknowledgement, so it may still be under way: wait up to 10 s.
    const deadline = Date.now() + 10_000;
    while ((await draftRows(key)) >= before + COMPACT_EVERY && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await draftRows(key)).toBeLessThan(before + COMPACT_EVERY);
    expect(await stored(m.mediator, `/drafts/parties/${m.partyA}`)).toBe(text);
    typist.goOffline();
    reader.goOffline();
  });

  it('compacts only the small rows: a row merged to MERGED_ROW_BYTES stays as it is, the draft is served the same', async () => {
    const store = app.app.get(DraftStore);
    const key = `${m.session.id}:compaction`;
    const sizes = async () =>
      (
        await app.app
          .get(DataSource)
          .query<Array<{ n: number }>>(`SELECT octet_length("update") AS n FROM draft_updates WHERE doc_key = $1 ORDER BY id`, [key])
      ).map((r) => Number(r.n));
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    doc.getText('clause').insert(0, 'x'.repeat(MERGED_ROW_BYTES + 1000));
    for (let i = 0; i < 30; i++) doc.getText('clause').insert(i * 4, `t${i} `);
    const asMediator = await decidedNow(m.mediator);
    for (const u of updates) expect(await store.store(m.session.id, key, u, 1 << 30, asMediator)).toMatchObject({ stored: true });
    const big = (await sizes())[0];
    expect(big).toBeGreaterThanOrEqual(MERGED_ROW_BYTES);
    expect(await sizes()).toHaveLength(31);

    await store.compact(key);
    const after = await sizes();
    // The big row, untouched, and the 30 small ones merged into one.
    expect(after).toHaveLength(2);
    expect(after).toContain(big);
    expect(Math.min(...after)).toBeLessThan(MERGED_ROW_BYTES);
    const served = new Y.Doc();
    Y.applyUpdate(served, await store.fetch(key));
    expect(served.getText('clause').toString()).toBe(doc.getText('clause').toString());

    // Nothing new: a second compaction leaves the same two rows.
    await store.compact(key);
    expect((await sizes()).sort()).toEqual([...after].sort());
  });

  /** A seat as the authorisation reads it, for the store's write-time check. */
  const decidedNow = async (who: Person): Promise<DraftDecidedOn> => {
    const participantId = who.participantId!;
    const [row] = await app.app
      .get(DataSource)
      .query<Array<{ role: DraftDecidedOn['role']; party_id: string | null; room_id: string | null; status: DraftDecidedOn['status'] }>>(
        `SELECT pa.role, pa.party_id, pa.room_id, ms.status FROM participants pa JOIN mediation_sessions ms ON ms.id = pa.session_id
          WHERE pa.id = $1`,
        [participantId],
      );
    return {
      participantId,
      role: row.role,
      partyId: row.party_id,
      roomId: row.room_id,
      status: row.status,
      caucus: { id: m.caucusA, closed: false },
    };
  };
  const anUpdate = (text: string) => {
    const doc = new Y.Doc();
    doc.getText('clause').insert(0, text);
    return Y.encodeStateAsUpdate(doc);
  };

  /** a2, moved out, was refused NOT_IN_ROOM: nothing stored, nothing reached the caucus; then a2 goes back in. */
  const refusedUnseen = async (mover: DraftEditor, stayer: DraftEditor, key: string, rows: number, marker: string) => {
    expect(mover.refused.map((r) => !r.ok && r.error.code)).toEqual(['NOT_IN_ROOM']);
    expect(await draftRows(key)).toBe(rows);
    await new Promise((r) => setTimeout(r, 200));
    expect(stayer.text.toString()).not.toContain(marker);
    mover.goOffline();
    stayer.goOffline();
    await m.place(m.a2, m.caucusA);
  };

  /** Each fact of an authorisation changed, one at a time. */
  const changedFacts = (now: DraftDecidedOn): Array<[string, DraftDecidedOn]> => [
    ['another room', { ...now, roomId: m.plenary }],
    ['no room (the lobby)', { ...now, roomId: null }],
    ['another role', { ...now, role: 'observer' }],
    ['another party', { ...now, partyId: m.partyB }],
    ['another session status', { ...now, status: 'closed' }],
    ['the caucus closed', { ...now, caucus: { id: m.caucusA, closed: true } }],
  ];

  it('each fact the authorisation read, changed before the write: nothing is written (stale)', async () => {
    const store = app.app.get(DraftStore);
    const key = `${m.session.id}:party:${m.partyA}`;
    const now = await decidedNow(m.a2);
    expect(now.roomId).toBe(m.caucusA);
    const before = await draftRows(key);
    for (const [change, decidedOn] of changedFacts(now)) {
      expect([change, await store.store(m.session.id, key, anUpdate(change), 1 << 30, decidedOn)]).toEqual([
        change,
        { stored: false, why: 'stale' },
      ]);
    }
    expect(await draftRows(key)).toBe(before);
    // The facts as they are: written.
    expect(await store.store(m.session.id, key, anUpdate('as it is'), 1 << 30, now)).toMatchObject({ stored: true });
    expect(await draftRows(key)).toBe(before + 1);
  });

  it('each fact the authorisation read, changed before a read: nothing is served (stale); as they are: the draft', async () => {
    const store = app.app.get(DraftStore);
    const key = `${m.session.id}:party:${m.partyA}`;
    const now = await decidedNow(m.a2);
    for (const [change, decidedOn] of changedFacts(now))
      expect([change, await store.read(m.session.id, key, decidedOn)]).toEqual([change, null]);
    const served = await store.read(m.session.id, key, now);
    expect(served).not.toBeNull();
    expect(Buffer.from(served!)).toEqual(Buffer.from(await store.fetch(key)));
  });

  it('moved out of the caucus between the authorisation and the read (sync step 1, then GET): refused, and nothing the caucus wrote after the move is served', async () => {
    const draft = { kind: 'party' as const, partyId: m.partyA };
    const stayer = new DraftEditor(draft);
    await stayer.connect(await connect(m.a1));
    // The mover's authorisation has read the seat in the caucus; before the draft is read, a real
    // move (through the API) takes it away and the caucus writes on.
    const raceOnce = (marker: string) =>
      raceInside(
        app.app.get(SessionDirectory),
        'actor',
        (_tx, _sessionId, userId) => userId === m.a2.userId,
        async () => {
          await m.place(m.a2, m.plenary);
          stayer.text.insert(0, `${marker} `);
          await stayer.settled();
        },
        { after: true },
      );

    const moverClient = await connect(m.a2);
    const mover = new DraftEditor(draft);
    await readDuring(raceOnce('written once the mover left'), () => mover.connect(moverClient));
    expect(mover.refused.map((r) => !r.ok && r.error.code)).toEqual(['NOT_IN_ROOM']);
    expect(mover.text.toString()).not.toContain('mover left');
    expect(stayer.text.toString()).toContain('written once the mover left');
    mover.goOffline();

    await m.place(m.a2, m.caucusA);
    const race = raceOnce('also written once the mover left');
    try {
      const res = await m.get(m.a2, `/drafts/parties/${m.partyA}`);
      expect([res.status, res.body.code]).toEqual([409, 'NOT_IN_ROOM']);
      expect(JSON.stringify(res.body)).not.toContain('update');
    } finally {
      race.restore();
      stayer.goOffline();
      await m.place(m.a2, m.caucusA);
    }
  });

  it('moved out of the caucus between the authorisation and the write: refused, not stored, not relayed', async () => {
    const draft = { kind: 'party' as const, partyId: m.partyA };
    const mover = new DraftEditor(draft);
    const stayer = new DraftEditor(draft);
    await mover.connect(await connect(m.a2));
    await stayer.connect(await connect(m.a1));
    await converged([mover, stayer]);
    const key = `${m.session.id}:party:${m.partyA}`;
    const before = await draftRows(key);
    const store = app.app.get(DraftStore);
    const write = store.store.bind(store);
    // The next write happens just after a real move (through the API) that the authorisation,
    // read before it, did not see.
    const interleaved = jest.spyOn(store, 'store').mockImplementationOnce(async (...args) => {
      await m.place(m.a2, m.plenary);
      return write(...args);
    });
    try {
      mover.text.insert(0, 'written as the door closed ');
      await mover.settled();
    } finally {
      interleaved.mockRestore();
    }
    await refusedUnseen(mover, stayer, key, before, 'door closed');
  });

  it('writes from memory: one authorisation read for a writer, then none while nothing changes; a move between two updates refuses the next at write time', async () => {
    const drafts = app.app.get(LiveDrafts);
    const draft = { kind: 'party' as const, partyId: m.partyA };
    const writer = new DraftEditor(draft);
    const reader = new DraftEditor(draft);
    await writer.connect(await connect(m.a2));
    await reader.connect(await connect(m.a1));
    writer.text.insert(0, 'remembered ');
    await writer.settled();
    const before = drafts.stats();
    for (let i = 0; i < 10; i++) {
      writer.text.insert(writer.text.length, `w${i} `);
      await writer.settled();
    }
    let after = drafts.stats();
    expect([after.reads - before.reads, after.recalled - before.recalled, after.stale - before.stale]).toEqual([0, 10, 0]);
    await converged([writer, reader]);

    // Moved out through the API: this instance's memory is not told; the write finds it out.
    const key = `${m.session.id}:party:${m.partyA}`;
    const rows = await draftRows(key);
    await m.place(m.a2, m.plenary);
    writer.text.insert(0, 'typed after the move ');
    await writer.settled();
    after = drafts.stats();
    expect(after.stale - before.stale).toBe(1);
    await refusedUnseen(writer, reader, key, rows, 'after the move');
  });

  it('after an API restart the stored drafts are served as they were', async () => {
    const before = {
      party: await stored(m.a1, `/drafts/parties/${m.partyA}`),
      mediators: await stored(m.mediator, '/drafts/mediators'),
    };
    expect(before.party.length).toBeGreaterThan(0);
    m.close();
    extra.splice(0).forEach((c) => c.close());
    await app.close(); // the fresh test database (or the embedded one on disk) is kept
    app = await startApp(db ? {} : { DATA_DIR: dir }, db ? { url: db.url } : null);

    const fresh = new DraftEditor({ kind: 'party', partyId: m.partyA });
    await fresh.connect(await connect(m.a2));
    expect(fresh.text.toString()).toBe(before.party);
    const mediatorsDraft = new DraftEditor({ kind: 'mediators' });
    await mediatorsDraft.connect(await connect(m.mediator));
    expect(mediatorsDraft.text.toString()).toBe(before.mediators);

    // And editing goes on from there.
    fresh.text.insert(0, 'Revised: ');
    const other = new DraftEditor({ kind: 'party', partyId: m.partyA });
    await other.connect(await connect(m.a1));
    expect(await converged([fresh, other])).toBe(`Revised: ${before.party}`);
  });
});
