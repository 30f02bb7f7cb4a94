import { Logger } from '@nestjs/common';

/** What the platform depends on at run time and can lose without stopping. */
export type DependencyName = 'database' | 'redis' | 'sfu';

export interface DependencyState {
  status: 'up' | 'down';
  /** When the current state began (ISO). */
  since: string;
  /** Why it is down, in one line (never shown to clients: it may name hosts). */
  cause: string | null;
}

interface Entry {
  down: boolean;
  since: number;
  cause: string | null;
}

/**
 * One account of the platform's outages. Whoever sees a dependency fail says `down(…)`, whoever sees
 * it answer again says `up(…)`; an outage is logged once when it begins (with its cause) and once
 * when it ends (with its duration), however many requests hit it in between. Readiness and the
 * error mapping read it. The clock is injected so the durations are testable without waiting.
 */
export class DependencyMonitor {
  private readonly entries = new Map<DependencyName, Entry>();
  private readonly listeners = new Set<(name: DependencyName, state: DependencyState) => void>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly logger: Pick<Logger, 'warn' | 'log'> = new Logger('Dependencies'),
  ) {}

  /** A dependency failed. Returns true when this begins an outage (logged), false when it was already down. */
  down(name: DependencyName, cause: string): boolean {
    const e = this.entries.get(name);
    if (e?.down) return false;
    const entry = { down: true, since: this.now(), cause: oneLine(cause) };
    this.entries.set(name, entry);
    this.logger.warn(`${name} unavailable: ${entry.cause}`);
    this.emit(name, entry);
    return true;
  }

  /** A dependency answered. Returns true when this ends an outage (logged with its duration). */
  up(name: DependencyName): boolean {
    const e = this.entries.get(name);
    const at = this.now();
    if (!e) {
      this.entries.set(name, { down: false, since: at, cause: null });
      return false;
    }
    if (!e.down) return false;
    const entry = { down: false, since: at, cause: null };
    this.entries.set(name, entry);
    this.logger.warn(`${name} back after ${((at - e.since) / 1000).toFixed(1)} s (unavailable since ${new Date(e.since).toISOString()})`);
    this.emit(name, entry);
    return true;
  }

  isDown(name: DependencyName): boolean {
    return this.entries.get(name)?.down ?? false;
  }

  /** The known dependencies and their state; one never reported is absent. */
  snapshot(): Partial<Record<DependencyName, DependencyState>> {
    const out: Partial<Record<DependencyName, DependencyState>> = {};
    for (const [name, e] of this.entries) out[name] = view(e);
    return out;
  }

  /** Called on every change of state (down → up or up → down). Returns the unsubscribe. */
  onChange(listener: (name: DependencyName, state: DependencyState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(name: DependencyName, e: Entry): void {
    for (const l of this.listeners) l(name, view(e));
  }
}

const view = (e: Entry): DependencyState => ({ status: e.down ? 'down' : 'up', since: new Date(e.since).toISOString(), cause: e.cause });

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim().slice(0, 300);
