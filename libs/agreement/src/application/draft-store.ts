/**
 * Drafts are stored the Hocuspocus way, as two hooks: `store` appends each Yjs update as it
 * arrives (nothing acknowledged is lost), `fetch` merges them into the document's state. Every API
 * instance reads the same rows, so no instance holds a document the others cannot see.
 */
export abstract class DraftStore {
  /**
   * Appends an update unless the draft's stored updates and it would take more than `limitBytes`
   * (its quota), in one statement: `stored: false`, nothing written.
   * Once stored, says when the draft has grown enough to be compacted.
   */
  abstract store(
    sessionId: string,
    docKey: string,
    update: Uint8Array,
    limitBytes: number,
  ): Promise<{ stored: true; compact: boolean } | { stored: false }>;

  /** The document's whole state as one update (empty document: an empty update). */
  abstract fetch(docKey: string): Promise<Uint8Array>;

  /**
   * Replaces the draft's small stored updates by their merge, in one transaction, leaving those
   * already merged to a size of their own as they are (so that its cost does not grow with the
   * draft). Rows deleted by a concurrent compaction are simply not returned here; Yjs merges
   * commute, so nothing is lost either way.
   */
  abstract compact(docKey: string): Promise<void>;
}
