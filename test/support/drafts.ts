import type { Ack, DraftMessagePayload, DraftScope, DraftSyncAnswer } from '@parley/contracts';
import { Y, decoding, encoding, sync, type YDoc } from '@parley/agreement/infrastructure/yjs';
import type { TestClient } from './harness';

const REMOTE = Symbol('remote');

export function syncMessage(type: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

export function readSyncMessage(message: Uint8Array): { type: number; payload: Uint8Array } {
  const d = decoding.createDecoder(new Uint8Array(message));
  return { type: decoding.readVarUint(d), payload: decoding.readVarUint8Array(d) };
}

const sameDraft = (a: DraftScope, b: DraftScope) =>
  a.kind === b.kind && (a.kind === 'mediators' || (b.kind === 'party' && a.partyId === b.partyId));

/**
 * A real Yjs client of a live draft, speaking y-protocols sync over a Parley socket the way a
 * browser editor would: step 1 on (re)connect, then every local change as an update; remote
 * updates applied as they arrive. Offline, it keeps editing and sends the difference on reconnect.
 */
export class DraftEditor {
  readonly doc: YDoc = new Y.Doc();
  readonly refused: Ack<DraftSyncAnswer>[] = [];
  private client: TestClient | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(readonly draft: DraftScope) {
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE && this.client) this.track(this.send(syncMessage(sync.messageYjsUpdate, update)));
    });
  }

  get text() {
    return this.doc.getText('clause');
  }

  /** Attaches to a connected, joined client and syncs both ways. */
  async connect(client: TestClient): Promise<void> {
    this.client = client;
    client.socket.on('draft.update', this.onRemote);
    await this.syncNow();
  }

  /** Stops talking to the server (local edits go on, and are sent at the next connect). */
  goOffline(): void {
    this.client?.socket.off('draft.update', this.onRemote);
    this.client = null;
  }

  async syncNow(): Promise<void> {
    const r = await this.ask(syncMessage(sync.messageYjsSyncStep1, Y.encodeStateVector(this.doc)));
    if (!r.ok) return;
    for (const reply of r.data.replies) {
      const { type, payload } = readSyncMessage(reply);
      if (type === sync.messageYjsSyncStep2) Y.applyUpdate(this.doc, payload, REMOTE);
      if (type === sync.messageYjsSyncStep1) {
        const missing = Y.encodeStateAsUpdate(this.doc, payload);
        await this.ask(syncMessage(sync.messageYjsSyncStep2, missing));
      }
    }
  }

  /** Every update sent so far has been acknowledged. */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  private readonly onRemote = (e: DraftMessagePayload) => {
    if (!sameDraft(e.draft, this.draft)) return;
    const { type, payload } = readSyncMessage(e.message);
    if (type === sync.messageYjsUpdate || type === sync.messageYjsSyncStep2) Y.applyUpdate(this.doc, payload, REMOTE);
  };

  private track(p: Promise<unknown>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async send(message: Uint8Array): Promise<void> {
    await this.ask(message);
  }

  private async ask(message: Uint8Array): Promise<Ack<DraftSyncAnswer>> {
    if (!this.client) throw new Error('offline');
    const r = await this.client.ask<DraftSyncAnswer>('draft.sync', { draft: this.draft, message });
    if (!r.ok) this.refused.push(r);
    return r;
  }
}
