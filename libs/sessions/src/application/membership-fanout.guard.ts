import { Injectable, Optional } from '@nestjs/common';
import { DependencyMonitor, DomainError } from '@parley/platform';

/**
 * A change of membership (admit, move, send to the lobby, a role or status change that relocates
 * people, closing a joint room) must cut the moved person's sockets out of the old room on every
 * API instance at once (PRODUCT rule 2), and only Redis reaches the sockets held by the other
 * instances. While Redis is away (REDIS_URL set and the outage declared), such a change is
 * refused before anything is stored — REDIS_UNAVAILABLE (503, retryable) — rather than stored and
 * then applied to this instance's sockets only. Chat and other room traffic keep working meanwhile
 * (stored, delivered locally; the other instances' clients catch up on `session.resync`).
 * Without REDIS_URL there is one instance and nothing is ever refused.
 */
@Injectable()
export class MembershipFanoutGuard {
  constructor(@Optional() private readonly dependencies?: DependencyMonitor) {}

  assertAvailable(): void {
    if (this.dependencies?.isDown('redis')) {
      throw new DomainError(
        'REDIS_UNAVAILABLE',
        'Moving people between rooms needs every server of this platform, and one link between them is down; nothing was changed. Try again shortly.',
      );
    }
  }
}
