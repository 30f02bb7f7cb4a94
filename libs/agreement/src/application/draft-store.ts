import type { ParticipantRole, SessionStatus } from '@parley/contracts';

/** The facts a draft update was authorised on (assertMayDraft's inputs), as they were read. */
export interface DraftDecidedOn {
  readonly participantId: string;
  readonly role: ParticipantRole;
  readonly partyId: string | null;
  readonly roomId: string | null;
  readonly status: SessionStatus;
  /** A delegation's draft: its caucus, and whether it was closed. */
  readonly caucus: { readonly id: string; readonly closed: boolean } | null;
}

/**
 * Drafts are stored the Hocuspocus way, as two hooks: `store` appends each Yjs update as it
 * arrives (nothing acknowledged is lost), `read` merges them into the document's state. Every API
 * instance reads the same rows, so no instance holds a document the others cannot see.
 */
export abstract class DraftStore {
  /**
   * Appends an update, in one statement, if both hold at write time:
   * - what its authorisation was decided on (`decidedOn`): every fact is compared with the
   *   stored ones on the write's own snapshot (a move committed before it is seen); otherwise
   *   `stale`, nothing written;
   * - the draft's stored updates and it take at most `limitBytes` (its quota); otherwise `quota`,
   *   nothing written.
   * Once stored, says when the draft has grown enough to be compacted.
   */
  abstract store(
    sessionId: string,
    docKey: string,
    update: Uint8Array,
    limitBytes: number,
    decidedOn: DraftDecidedOn,
  ): Promise<{ stored: true; compact: boolean } | { stored: false; why: 'quota' | 'stale' }>;

  /**
   * The document's whole state as one update, if what the reader's authorisation was decided on
   * (`decidedOn`) still holds on the read's own snapshot; `null` (stale) otherwise. What it answers
   * is the draft as it stood while the reader held the seat: an update written after a move
   * committed is never in it.
   */
  abstract read(sessionId: string, docKey: string, decidedOn: DraftDecidedOn): Promise<Uint8Array | null>;

  /** The document's whole state as one update (empty document: an empty update), for housekeeping and tests: no one's read. */
  abstract fetch(docKey: string): Promise<Uint8Array>;

  /**
   * Replaces the draft's small stored updates by their merge, in one transaction, leaving those
   * already merged to a size of their own as they are (so that its cost does not grow with the
   * draft). Rows deleted by a concurrent compaction are simply not returned here; Yjs merges
   * commute, so nothing is lost either way.
   */
  abstract compact(docKey: string): Promise<void>;
}
