import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DraftStore } from '../application/draft-store';
import { Y } from '../application/yjs';
import { DraftUpdateEntity } from './persistence';

/** Appended updates after which a draft is merged into one row. */
export const COMPACT_EVERY = 200;

/** The drafts' updates as rows of `draft_updates`, each draft's merged into one every COMPACT_EVERY appends. */
@Injectable()
export class TypeOrmDraftStore extends DraftStore {
  /** Appends per draft since its last compaction, as this instance counted them. */
  private readonly appended = new Map<string, number>();

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async store(sessionId: string, docKey: string, update: Uint8Array): Promise<{ compact: boolean }> {
    await this.dataSource.getRepository(DraftUpdateEntity).insert({ sessionId, docKey, update: Buffer.from(update) });
    const n = (this.appended.get(docKey) ?? 0) + 1;
    this.appended.set(docKey, n % COMPACT_EVERY);
    return { compact: n >= COMPACT_EVERY };
  }

  async size(docKey: string): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ n: string | number }>>(
      `SELECT COALESCE(SUM(octet_length("update")), 0) AS n FROM draft_updates WHERE doc_key = $1`,
      [docKey],
    );
    return Number(row.n);
  }

  async fetch(docKey: string): Promise<Uint8Array> {
    const rows = await this.dataSource
      .getRepository(DraftUpdateEntity)
      .find({ where: { docKey }, order: { id: 'ASC' }, select: { id: true, update: true } });
    return rows.length ? Y.mergeUpdates(rows.map((r) => new Uint8Array(r.update))) : Y.encodeStateAsUpdate(new Y.Doc());
  }

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
