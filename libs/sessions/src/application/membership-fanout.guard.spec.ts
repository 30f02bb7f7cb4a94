import { DependencyMonitor, DomainError } from '@parley/platform';
import { MembershipFanoutGuard } from './membership-fanout.guard';

const quietMonitor = () => new DependencyMonitor(() => 0, { warn: () => undefined, log: () => undefined });

describe('MembershipFanoutGuard', () => {
  it('refuses a membership change with REDIS_UNAVAILABLE while Redis is down, and allows it again once up', () => {
    const monitor = quietMonitor();
    const sut = new MembershipFanoutGuard(monitor);
    expect(() => sut.assertAvailable()).not.toThrow();
    monitor.down('redis', 'connect ECONNREFUSED');
    const refused = (() => {
      try {
        sut.assertAvailable();
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe('REDIS_UNAVAILABLE');
    monitor.up('redis');
    expect(() => sut.assertAvailable()).not.toThrow();
  });

  it('never refuses for another dependency, nor without a monitor (one instance, no Redis)', () => {
    const monitor = quietMonitor();
    monitor.down('sfu', 'janus exited');
    expect(() => new MembershipFanoutGuard(monitor).assertAvailable()).not.toThrow();
    expect(() => new MembershipFanoutGuard().assertAvailable()).not.toThrow();
  });
});
