import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DependencyMonitor } from '@parley/platform';
import { MembershipHeal } from './membership-heal';
import type { SocketIoChannel } from './socket-io.channel';

/** The heal's retries: the database reached through `localParticipants` is made to fail every time. */
describe('MembershipHeal retries', () => {
  const failing = () => {
    const calls = { n: 0 };
    const channel = {
      localParticipants: () => {
        calls.n++;
        return Promise.reject(new Error('Connection terminated unexpectedly'));
      },
    } as unknown as SocketIoChannel;
    return { calls, channel };
  };
  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('a shutdown while a heal waits to try again ends the wait at once, and no further try is made', async () => {
    const { calls, channel } = failing();
    const heal = new MembershipHeal(channel, {} as DataSource, new DependencyMonitor());
    const started = Date.now();
    const healed = heal.heal();
    await new Promise((r) => setTimeout(r, 50)); // the first try failed; the heal waits 1 s before the next
    await heal.onModuleDestroy();
    expect(await healed).toBe(0);
    expect(calls.n).toBe(1);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('gives up at once when Redis is down again (the next outage heals when it ends)', async () => {
    const { calls, channel } = failing();
    const monitor = new DependencyMonitor();
    monitor.down('redis', 'test');
    expect(await new MembershipHeal(channel, {} as DataSource, monitor).heal()).toBe(0);
    expect(calls.n).toBe(1);
  });
});
