import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DraftUpdateEntity } from './persistence';
import { Y } from './yjs';

/** Appended updates after which a draft is merged into one row. */
export const COMPACT_EVERY = 200;

/**
 * Drafts are stored the Hocuspocus way, as two hooks: `store` appends each Yjs update as it
 * arrives (nothing acknowledged is lost), `fetch` merges them into the document's state. Every API
 * instance reads the same rows, so no instance holds a document the others cannot see.
 */
@Injectable()
export class DraftStore {
  private readonly appended = new Map<string, number>();

  constructor(private readonly dataSource: DataSource) {}

  /** Appends an update; says when the draft has grown enough to be compacted. */
  async store(sessionId: string, docKey: string, update: Uint8Array): Promise<{ compact: boolean }> {
    await this.dataSource.getRepository(DraftUpdateEntity).insert({ sessionId, docKey, update: Buffer.from(update) });
    const n = (this.appended.get(docKey) ?? 0) + 1;
    this.appended.set(docKey, n % COMPACT_EVERY);
    return { compact: n >= COMPACT_EVERY };
  }

  /** The bytes the draft's stored updates take (what its quota counts). */
  async size(docKey: string): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ n: string | number }>>(
      `SELECT COALESCE(SUM(octet_length("update")), 0) AS n FROM draft_updates WHERE doc_key = $1`,
      [docKey],
    );
    return Number(row.n);
  }

  /** The document's whole state as one update (empty document: an empty update). */
  async fetch(docKey: string): Promise<Uint8Array> {
    const rows = await this.dataSource
      .getRepository(DraftUpdateEntity)
      .find({ where: { docKey }, order: { id: 'ASC' }, select: { id: true, update: true } });
    return rows.length ? Y.mergeUpdates(rows.map((r) => new Uint8Array(r.update))) : Y.encodeStateAsUpdate(new Y.Doc());
  }

  /**
   * Replaces the stored updates by their merge, in one transaction. Rows deleted by a concurrent
   * compaction are simply not returned here; Yjs merges commute, so nothing is lost either way.
   */
  async compact(docKey: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const deleted = await m
        .createQueryBuilder()
        .delete()
        .from(DraftUpdateEntity)
        .where('doc_key = :docKey', { docKey })
        .returning('"update", "session_id"')
        .execute();
      const rows = deleted.raw as Array<{ update: Buffer; session_id: string }>;
      if (!rows.length) return;
      const merged = Y.mergeUpdates(rows.map((r) => new Uint8Array(r.update)));
      await m.getRepository(DraftUpdateEntity).insert({ sessionId: rows[0].session_id, docKey, update: Buffer.from(merged) });
    });
  }
}
