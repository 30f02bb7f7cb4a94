import { DomainError } from '@parley/platform';
import type { Feed, MediaAvailability, MediaPort, PublishAnswer, RoomMediaStats, SfuRoom, SubscribeOffer } from '../application/media.port';

/**
 * The platform without an SFU (no JANUS_URL, no janus binary): everything else runs, and media
 * says clearly that it is unavailable, and why. There is nothing to tear down.
 */
export class NoSfuAdapter implements MediaPort {
  constructor(private readonly reason: string) {}

  availability(): MediaAvailability {
    return { available: false, reason: this.reason };
  }

  /** There is no SFU to come back. */
  onReset(): void {}

  private refuse(): never {
    throw new DomainError('MEDIA_UNAVAILABLE', `Media is unavailable on this platform: ${this.reason}`);
  }

  openRoom(): Promise<void> {
    return this.refuse();
  }
  admit(): Promise<void> {
    return this.refuse();
  }
  publish(): Promise<PublishAnswer> {
    return this.refuse();
  }
  subscribe(): Promise<SubscribeOffer> {
    return this.refuse();
  }
  answer(): Promise<void> {
    return this.refuse();
  }
  setLayer(): Promise<void> {
    return this.refuse();
  }
  async unpublish(): Promise<void> {}
  async closeRoom(): Promise<void> {}
  async evict(): Promise<void> {}
  feeds(): Promise<Feed[]> {
    return Promise.resolve([]);
  }
  stats(roomId: string): Promise<RoomMediaStats> {
    return Promise.resolve({ roomId, publishers: 0, subscribers: 0, participants: [] });
  }
  sfuRooms(): Promise<SfuRoom[]> {
    return Promise.resolve([]);
  }
  /** Nobody speaks through no SFU. */
  onActivity(): void {}
  onLinkReport(): void {}
  async shutdown(): Promise<void> {}
}
