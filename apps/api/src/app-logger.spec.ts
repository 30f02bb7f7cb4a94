import { Logger } from '@nestjs/common';
import { AppLogger, NEST_BOOTSTRAP_CONTEXTS, installAppLogger } from './app-logger';

describe('AppLogger', () => {
  let printed: string[];
  let write: jest.SpyInstance;
  beforeEach(() => {
    printed = [];
    write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
  });
  afterEach(() => write.mockRestore());

  it.each([...NEST_BOOTSTRAP_CONTEXTS].map((c) => [c]))('at LOG_LEVEL=log, hides what Nest reports of its wiring under %s', (context) => {
    const sut = new AppLogger('log', false);
    sut.log('Mapped {/api/sessions, POST} route', context);
    expect(printed).toEqual([]);
  });

  it('at LOG_LEVEL=log, prints what Parley says at log level, without colour codes outside a terminal', () => {
    const sut = new AppLogger('log', false);
    sut.log('embedded PostgreSQL in ./data: starting it (a few seconds)', 'Database');
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/^\[Parley\] \d+ .* LOG \[Database\] embedded PostgreSQL in \.\/data: starting it/);
    expect(printed[0]).not.toContain('\u001b[');
  });

  it('at LOG_LEVEL=debug, shows the route mapping as debug lines', () => {
    const sut = new AppLogger('debug', false);
    sut.log('Mapped {/api/sessions, POST} route', 'RouterExplorer');
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/DEBUG \[RouterExplorer\] Mapped \{\/api\/sessions, POST\} route/);
  });

  it('once installed, is what every Nest Logger writes through, at the configured level', () => {
    installAppLogger('warn');
    new Logger('Database').log('not at warn');
    new Logger('Auth').warn('JWT_SECRET is not set');
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/WARN \[Auth\] JWT_SECRET is not set/);
  });
});
