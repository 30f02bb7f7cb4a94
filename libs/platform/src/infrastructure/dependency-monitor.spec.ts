import { DependencyMonitor } from './dependency-monitor';

describe('DependencyMonitor', () => {
  const build = () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const lines: string[] = [];
    const sut = new DependencyMonitor(() => now, { warn: (m: string) => lines.push(`warn ${m}`) } as never);
    return {
      sut,
      lines,
      advance: (ms: number) => {
        now += ms;
      },
    };
  };

  it('logs one line when an outage begins and one when it ends, with its duration, however many failures in between', () => {
    const { sut, lines, advance } = build();
    sut.up('database');
    expect(sut.down('database', 'connect ECONNREFUSED\n 127.0.0.1:5432')).toBe(true);
    for (let i = 0; i < 200; i++) expect(sut.down('database', 'again')).toBe(false);
    advance(10_250);
    expect(sut.up('database')).toBe(true);
    expect(sut.up('database')).toBe(false);
    expect(lines).toEqual([
      'warn database unavailable: connect ECONNREFUSED 127.0.0.1:5432',
      'warn database back after 10.3 s (unavailable since 2026-12-01T10:00:00.000Z)',
    ]);
  });

  it('reports each dependency on its own and tells listeners of changes only', () => {
    const { sut } = build();
    const seen: string[] = [];
    sut.onChange((name, s) => seen.push(`${name}:${s.status}`));
    sut.up('redis');
    sut.down('sfu', 'janus exited');
    sut.down('sfu', 'still');
    expect(sut.isDown('sfu')).toBe(true);
    expect(sut.isDown('redis')).toBe(false);
    expect(sut.isDown('database')).toBe(false);
    expect(sut.snapshot()).toEqual({
      redis: { status: 'up', since: '2026-12-01T10:00:00.000Z', cause: null },
      sfu: { status: 'down', since: '2026-12-01T10:00:00.000Z', cause: 'janus exited' },
    });
    expect(seen).toEqual(['sfu:down']);
  });
});
