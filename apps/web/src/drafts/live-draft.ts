import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { messageYjsSyncStep1, messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync';
import type { DraftMessagePayload, DraftScope } from '@parley/contracts';
import { ApiFailure } from '../lib/api';
import type { SessionController } from '../state/session-controller';
import { spliceOf, type DeltaOp } from './splice';

const REMOTE = Symbol('remote');

function message(type: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

function read(raw: Uint8Array | ArrayBuffer): { type: number; payload: Uint8Array } {
  const d = decoding.createDecoder(raw instanceof Uint8Array ? raw : new Uint8Array(raw));
  return { type: decoding.readVarUint(d), payload: decoding.readVarUint8Array(d) };
}

const sameDraft = (a: DraftScope, b: DraftScope) =>
  a.kind === b.kind && (a.kind === 'mediators' || (b.kind === 'party' && a.partyId === b.partyId));

/**
 * A live draft (the delegation's inside its caucus, or the mediators'): a Yjs document synced with
 * y-protocols over the session's socket (`draft.sync`, `draft.update`). Every local change is sent
 * as an update; the server stores it before acknowledging and relays it to the others.
 */
export class LiveDraft {
  readonly doc = new Y.Doc();
  readonly text = this.doc.getText('clause');
  /** The last refusal (shown by its code's sentence), until a sync succeeds. */
  error: { code: string; field?: string } | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly remoteChanges = new Set<(delta: DeltaOp[]) => void>();
  private readonly offJoined: () => void;
  private resync: ReturnType<typeof setTimeout> | null = null;
  private readonly onRemote = (e: DraftMessagePayload) => {
    if (!sameDraft(e.draft, this.scope)) return;
    const { type, payload } = read(e.message);
    if (type === messageYjsUpdate || type === messageYjsSyncStep2) Y.applyUpdate(this.doc, payload, REMOTE);
  };

  constructor(
    private readonly ctl: SessionController,
    readonly scope: DraftScope,
  ) {
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) void this.send(message(messageYjsUpdate, update));
    });
    this.text.observe((event, tx) => {
      // Before the page re-renders: an editor moves its caret past someone else's change.
      if (tx.origin === REMOTE) this.remoteChanges.forEach((l) => l(event.delta as DeltaOp[]));
      this.listeners.forEach((l) => l());
    });
    (ctl.socket as unknown as { on(e: string, h: (x: DraftMessagePayload) => void): void }).on('draft.update', this.onRemote);
    // After each (re)join, not on connect: the server answers drafts only to a joined socket.
    this.offJoined = ctl.onJoined(() => void this.sync());
    if (ctl.state.connection === 'online') void this.sync();
  }

  get value(): string {
    return this.text.toJSON();
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  /** Called with each change that came from another editor (a Yjs delta), before listeners. */
  onRemoteChange(l: (delta: DeltaOp[]) => void): () => void {
    this.remoteChanges.add(l);
    return () => this.remoteChanges.delete(l);
  }

  /** Applies what the user typed as the minimal Yjs change. */
  setValue(next: string): void {
    const { index, remove, insert } = spliceOf(this.value, next);
    if (!remove && !insert) return;
    this.doc.transact(() => {
      if (remove) this.text.delete(index, remove);
      if (insert) this.text.insert(index, insert);
    });
  }

  close(): void {
    (this.ctl.socket as unknown as { off(e: string, h: unknown): void }).off('draft.update', this.onRemote);
    this.offJoined();
    if (this.resync) clearTimeout(this.resync);
    this.doc.destroy();
    this.listeners.clear();
    this.remoteChanges.clear();
  }

  /** Step 1 on (re)connect: the server answers with what we lack and asks for what it lacks. */
  private readonly sync = async () => {
    try {
      const r = await this.ctl.ask('draft.sync', {
        draft: this.scope,
        message: message(messageYjsSyncStep1, Y.encodeStateVector(this.doc)),
      });
      for (const reply of r.replies) {
        const { type, payload } = read(reply);
        if (type === messageYjsSyncStep2) Y.applyUpdate(this.doc, payload, REMOTE);
        if (type === messageYjsSyncStep1) await this.send(message(messageYjsSyncStep2, Y.encodeStateAsUpdate(this.doc, payload)));
      }
      this.setError(null);
    } catch (e) {
      this.setError(ApiFailure.of(e));
      if (!this.resync)
        this.resync = setTimeout(() => {
          this.resync = null;
          void this.sync();
        }, 2000);
    }
  };

  /**
   * An update the server did not take is not sent again as such: a full sync exchange a moment
   * later sends whatever the server lacks (and the error stays shown until one succeeds).
   */
  private async send(m: Uint8Array): Promise<void> {
    try {
      await this.ctl.ask('draft.sync', { draft: this.scope, message: m });
      if (!this.resync) this.setError(null);
    } catch (e) {
      this.setError(ApiFailure.of(e));
      if (!this.resync)
        this.resync = setTimeout(() => {
          this.resync = null;
          void this.sync();
        }, 1000);
    }
  }

  private setError(e: { code: string } | null): void {
    if (e?.code === this.error?.code) return;
    this.error = e;
    this.listeners.forEach((l) => l());
  }
}
