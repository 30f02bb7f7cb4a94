import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DraftStore, type DraftDecidedOn } from '../application/draft-store';
import { Y } from '../application/yjs';
import { DraftUpdateEntity } from './persistence';

/** Appended updates after which a draft's small rows are merged into one. */
export const COMPACT_EVERY = 200;
/**
 * Rows this large are left as they are by a compaction: a merged row grows to this size, then a
 * new one starts. A compaction merges at most about this much, however long the draft; a fetch
 * merges at most QUOTA_DRAFT_BYTES / MERGED_ROW_BYTES such rows and the small ones after them.
 */
export const MERGED_ROW_BYTES = 64 * 1024;

/**
 * The `seat` CTE: one row when every fact the authorisation read (DraftDecidedOn) still holds on
 * the statement's snapshot, none otherwise. `$1` is the session; the facts are the seven
 * parameters from `$first` on, in seatParams' order. Participants, sessions and rooms are the
 * sessions context's tables, read here as the chat write reads them (parley_append_decided_chats).
 */
const seatAsDecided = (first: number): string => {
  const $ = (i: number) => `$${first + i}`;
  return `seat AS (SELECT pa.id FROM participants pa JOIN mediation_sessions ms ON ms.id = pa.session_id
                    WHERE pa.id = ${$(0)} AND pa.session_id = $1 AND pa.role = ${$(1)}
                      AND pa.party_id IS NOT DISTINCT FROM ${$(2)}::uuid AND pa.room_id IS NOT DISTINCT FROM ${$(3)}::uuid
                      AND ms.status = ${$(4)}
                      AND (${$(5)}::uuid IS NULL OR EXISTS (SELECT 1 FROM rooms r
                            WHERE r.id = ${$(5)}::uuid AND r.session_id = $1 AND (r.closed_at IS NOT NULL) = ${$(6)})))`;
};

const seatParams = (d: DraftDecidedOn): unknown[] => [
  d.participantId,
  d.role,
  d.partyId,
  d.roomId,
  d.status,
  d.caucus?.id ?? null,
  d.caucus?.closed ?? false,
];

/** Updates merged into one (none: the empty document's). */
const merged = (updates: Uint8Array[]): Uint8Array => (updates.length ? Y.mergeUpdates(updates) : Y.encodeStateAsUpdate(new Y.Doc()));

/** The drafts' updates as rows of `draft_updates`, each draft's small rows merged into one every COMPACT_EVERY appends. */
@Injectable()
export class TypeOrmDraftStore extends DraftStore {
  /** Appends per draft since its last compaction, as this instance counted them. */
  private readonly appended = new Map<string, number>();

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async store(
    sessionId: string,
    docKey: string,
    update: Uint8Array,
    limitBytes: number,
    d: DraftDecidedOn,
  ): Promise<{ stored: true; compact: boolean } | { stored: false; why: 'quota' | 'stale' }> {
    // One round trip: the seat as the authorisation read it, the quota's sum, and the insert, on
    // the statement's one snapshot: a move committed before it began is seen (nothing written),
    // one committing while it runs is ordered after it. The seat is not locked: with FOR SHARE a
    // move would wait for the write instead, the same order and the same relay to the caucus,
    // for a write to the participant's row on every keystroke.
    const [row] = await this.dataSource.query<Array<{ seated: string | number; stored: string | number }>>(
      `WITH ${seatAsDecided(6)},
            size AS (SELECT COALESCE(SUM(octet_length("update")), 0)::bigint AS n FROM draft_updates WHERE doc_key = $2),
            added AS (INSERT INTO draft_updates (session_id, doc_key, "update")
                      SELECT $1, $2, $3 FROM size, seat WHERE size.n + $4 <= $5 RETURNING id)
       SELECT (SELECT count(*) FROM seat) AS seated, (SELECT count(*) FROM added) AS stored`,
      [sessionId, docKey, Buffer.from(update), update.byteLength, limitBytes, ...seatParams(d)],
    );
    if (Number(row.seated) !== 1) return { stored: false, why: 'stale' };
    if (Number(row.stored) !== 1) return { stored: false, why: 'quota' };
    const n = (this.appended.get(docKey) ?? 0) + 1;
    this.appended.set(docKey, n % COMPACT_EVERY);
    return { stored: true, compact: n >= COMPACT_EVERY };
  }

  async read(sessionId: string, docKey: string, d: DraftDecidedOn): Promise<Uint8Array | null> {
    // The seat and the rows on the statement's one snapshot: what is served is the draft as it
    // stood while the reader held the seat, never an update written after a move took it away.
    const rows = await this.dataSource.query<Array<{ seated: string | number; update: Buffer | null }>>(
      `WITH ${seatAsDecided(3)}
       SELECT s.seated, u."update" FROM (SELECT count(*) AS seated FROM seat) s
         LEFT JOIN draft_updates u ON u.doc_key = $2 AND s.seated = 1
        ORDER BY u.id`,
      [sessionId, docKey, ...seatParams(d)],
    );
    if (Number(rows[0].seated) !== 1) return null;
    return merged(rows.flatMap((r) => (r.update ? [new Uint8Array(r.update)] : [])));
  }

  async fetch(docKey: string): Promise<Uint8Array> {
    const rows = await this.dataSource
      .getRepository(DraftUpdateEntity)
      .find({ where: { docKey }, order: { id: 'ASC' }, select: { id: true, update: true } });
    return merged(rows.map((r) => new Uint8Array(r.update)));
  }

  async compact(docKey: string): Promise<void> {
    // The whole draft used to be merged here, on the event loop: at 9,000 tokens (350 KB stored)
    // every 1.5 s with 50 editors typing. Now only the rows under MERGED_ROW_BYTES are.
    await this.dataSource.transaction(async (m) => {
      const deleted = await m
        .createQueryBuilder()
        .delete()
        .from(DraftUpdateEntity)
        .where('doc_key = :docKey AND octet_length("update") < :small', { docKey, small: MERGED_ROW_BYTES })
        .returning('"update", "session_id"')
        .execute();
      const rows = deleted.raw as Array<{ update: Buffer; session_id: string }>;
      if (!rows.length) return;
      const merged = Y.mergeUpdates(rows.map((r) => new Uint8Array(r.update)));
      await m.getRepository(DraftUpdateEntity).insert({ sessionId: rows[0].session_id, docKey, update: Buffer.from(merged) });
    });
  }
}
