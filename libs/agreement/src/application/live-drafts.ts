import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { DraftScope, DraftSyncAnswer } from '@parley/contracts';
import { APP_CONFIG, DomainError, UnitOfWork, type AppConfig } from '@parley/platform';
import { REALTIME_CHANNEL, SessionDirectory, isMediator, type RealtimeChannel } from '@parley/sessions';
import { assertMayDraft, draftKey, draftQuotaExceeded } from '../domain';
import { DraftStore, type DraftDecidedOn } from './draft-store';
import { Y, decoding, encoding, sync } from './yjs';

const { messageYjsSyncStep1, messageYjsSyncStep2, messageYjsUpdate } = sync;

export interface DraftCommand {
  userId: string;
  sessionId: string;
  draft: DraftScope;
  /** The sending socket: it has the update already, so it is not sent back. */
  socketId?: string;
}

/** Writes of one update, each authorised on a fresh read, before giving up on a seat that keeps changing. */
const MAX_ATTEMPTS = 3;
/** Writers whose last permission an instance remembers (the oldest is forgotten first). */
const MAX_REMEMBERED = 10_000;

/** A writer's permission for a draft, as decided, with the facts the write checks again. */
interface Decided {
  key: string;
  caucusId: string | null;
  decidedOn: DraftDecidedOn;
}

const invalidMessage = () =>
  new DomainError('DRAFT_MESSAGE_INVALID', 'This is not a y-protocols sync message with a valid Yjs update.', 'message');

/**
 * Live drafting with Yjs over y-protocols sync messages. Every message is authorised against the
 * stored membership first (the mediators' draft: mediators; a delegation's draft: that delegation
 * inside its caucus, and the mediators); an update is stored before it is acknowledged or relayed,
 * and relayed only to that caucus and the mediators.
 */
@Injectable()
export class LiveDrafts implements BeforeApplicationShutdown {
  private readonly logger = new Logger('LiveDrafts');
  /** Drafts being compacted, and when that is done. */
  private readonly compacting = new Map<string, Promise<void>>();
  /**
   * Each writer's last permission (account, session, draft): an update is written on it with no
   * read (two statements an update before, on the embedded database each crossing to its thread);
   * the write checks every fact of it, and a stale one is decided again on a fresh read.
   */
  private readonly decided = new Map<string, Decided>();
  private readonly counts = { reads: 0, recalled: 0, stale: 0 };

  constructor(
    private readonly uow: UnitOfWork,
    private readonly sessions: SessionDirectory,
    private readonly store: DraftStore,
    @Inject(REALTIME_CHANNEL) private readonly channel: RealtimeChannel,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Where a draft lives (the caucus room of its delegation, if it is a delegation's draft), and
   * what the permission was decided on, for the write to check again.
   */
  private async authorise(cmd: DraftCommand): Promise<Decided> {
    this.counts.reads++;
    const tx = this.uow.autocommit;
    const { session, actor } = await this.sessions.actor(tx, cmd.sessionId, cmd.userId);
    if (session.status === 'closed') throw new DomainError('SESSION_CLOSED', 'The session is closed.');
    let caucus = null;
    if (cmd.draft.kind === 'party') {
      caucus = await this.sessions.caucus(tx, session.id, cmd.draft.partyId);
      if (!caucus && isMediator(actor)) throw new DomainError('PARTY_NOT_FOUND', 'No such party in this session.', 'draft.partyId');
    }
    assertMayDraft(actor, cmd.draft, caucus);
    return {
      key: draftKey(session.id, cmd.draft),
      caucusId: caucus?.id ?? null,
      decidedOn: {
        participantId: actor.id,
        role: actor.role,
        partyId: actor.partyId,
        roomId: actor.roomId,
        status: session.status,
        caucus: caucus && { id: caucus.id, closed: caucus.closed },
      },
    };
  }

  /** Decided on a fresh read, and remembered for the writer's next update. */
  private async decide(cmd: DraftCommand, memo: string): Promise<Decided> {
    this.decided.delete(memo);
    const decided = await this.authorise(cmd);
    if (this.decided.size >= MAX_REMEMBERED) this.decided.delete(this.decided.keys().next().value!);
    this.decided.set(memo, decided);
    return decided;
  }

  /** Authorisation reads, updates written on a remembered permission, and writes and reads found stale. */
  stats(): { reads: number; recalled: number; stale: number } {
    return { ...this.counts };
  }

  /** The whole draft as one Yjs update (for a reader that does not keep a live copy). */
  async fetch(cmd: DraftCommand): Promise<Uint8Array> {
    return this.readAs(cmd, await this.authorise(cmd));
  }

  /**
   * The draft's state, read on the statement that checks again what the permission was decided
   * on: a reader moved out (re-roled, the caucus closed…) between the permission and the read is
   * decided again on a fresh read, which refuses if the present does. So what is served is the
   * draft as it stood while the reader held the seat.
   */
  private async readAs(cmd: DraftCommand, decided: Decided, memo?: string): Promise<Uint8Array> {
    for (let attempt = 1; ; attempt++) {
      const state = await this.store.read(cmd.sessionId, decided.key, decided.decidedOn);
      if (state) return state;
      this.counts.stale++;
      if (attempt >= MAX_ATTEMPTS) throw new Error('draft read: what it was authorised on kept changing under it');
      decided = memo ? await this.decide(cmd, memo) : await this.authorise(cmd);
    }
  }

  /**
   * Sync step 1 → the step 2 with what the client lacks, then the server's own step 1 (so the
   * client sends what the server lacks). Step 2 or update → stored, then relayed.
   */
  async receive(cmd: DraftCommand & { message: Uint8Array }): Promise<DraftSyncAnswer> {
    const memo = `${cmd.userId} ${cmd.sessionId} ${cmd.draft.kind === 'party' ? cmd.draft.partyId : 'mediators'}`;
    let remembered = this.decided.get(memo);
    let decided = remembered ?? (await this.decide(cmd, memo));
    // A remembered permission answers nothing on its own: a refusal, a bad message or a read is
    // answered on a fresh one (so whoever may no longer draft hears that, as anyone else would).
    const fresh = async (): Promise<Decided> => {
      if (remembered) {
        remembered = undefined;
        decided = await this.decide(cmd, memo);
      }
      return decided;
    };
    let type: number;
    let payload: Uint8Array;
    try {
      const decoder = decoding.createDecoder(cmd.message);
      type = decoding.readVarUint(decoder);
      payload = decoding.readVarUint8Array(decoder);
    } catch {
      await fresh();
      throw invalidMessage();
    }
    if (type === messageYjsSyncStep1) {
      const state = await this.readAs(cmd, await fresh(), memo);
      let missing: Uint8Array;
      try {
        missing = Y.diffUpdate(state, payload);
      } catch {
        throw invalidMessage();
      }
      return {
        draft: cmd.draft,
        replies: [message(messageYjsSyncStep2, missing), message(messageYjsSyncStep1, Y.encodeStateVectorFromUpdate(state))],
      };
    }
    try {
      if (type !== messageYjsSyncStep2 && type !== messageYjsUpdate) throw invalidMessage();
      Y.decodeUpdate(payload);
    } catch {
      await fresh();
      throw invalidMessage();
    }
    if (remembered) this.counts.recalled++;
    for (let attempt = 1; ; attempt++) {
      const { key, caucusId, decidedOn } = decided;
      const appended = await this.store.store(cmd.sessionId, key, payload, this.config.quotas.draftBytes, decidedOn);
      if (appended.stored) {
        const relay = { draft: cmd.draft, message: message(messageYjsUpdate, payload) };
        // A caucus may seat the interpreter its party brought: they have no draft (assertMayDraft), live either.
        this.channel.toRoomAndMediators(cmd.sessionId, caucusId, 'draft.update', relay, cmd.socketId, { exceptInterpreters: true });
        if (appended.compact) this.compactLater(key);
        return { draft: cmd.draft, replies: [] };
      }
      if (appended.why === 'quota') throw draftQuotaExceeded(this.config.quotas.draftBytes);
      // Moved out of the caucus (or re-roled, the caucus closed…) since the permission was
      // decided: decided again on a fresh read, which refuses if the present does.
      this.counts.stale++;
      if (!remembered && attempt >= MAX_ATTEMPTS) throw new Error('draft update: what it was authorised on kept changing under it');
      remembered = undefined;
      decided = await this.decide(cmd, memo);
    }
  }

  /**
   * Stored and relayed: merging the rows is housekeeping, never the sender's error nor its wait (the
   * acknowledgement used to wait for it). One at a time a draft.
   */
  private compactLater(key: string): void {
    if (this.compacting.has(key)) return;
    const done = this.store
      .compact(key)
      .catch((e: Error) => this.logger.error(`compacting ${key} failed: ${e.message}`))
      .finally(() => this.compacting.delete(key));
    this.compacting.set(key, done);
  }

  /** Compactions under way finish before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.compacting.values());
  }
}

function message(type: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}
