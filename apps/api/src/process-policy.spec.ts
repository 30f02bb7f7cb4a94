import { EventEmitter } from 'node:events';
import { ProcessPolicy, type ProcessPolicyOptions } from './process-policy';

function build(close: () => Promise<void> = () => Promise.resolve()) {
  const errors: string[] = [];
  const warnings: string[] = [];
  const exits: number[] = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const options: ProcessPolicyOptions = {
    log: { error: (m) => errors.push(m), warn: (m) => warnings.push(m) },
    close,
    exit: (code) => exits.push(code),
    closeWithinMs: 15_000,
    setTimer: (fn, ms) => {
      timers.push({ fn, ms });
      return {};
    },
  };
  const target = new EventEmitter();
  const sut = new ProcessPolicy(options).install(target as unknown as NodeJS.Process);
  return { sut, target, errors, warnings, exits, timers };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('ProcessPolicy', () => {
  it('keeps serving on an unhandled rejection: logs it once with its stack, counts it, never exits', () => {
    const { sut, target, errors, exits } = build();
    const e = new Error('publish failed: Connection is closed');
    target.emit('unhandledRejection', e);
    expect(sut.unhandledRejections).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('keeps serving');
    expect(errors[0]).toContain(e.stack!.split('\n')[1].trim());
    expect(exits).toEqual([]);
  });

  it('logs a repeated rejection once, then only at 10, 100, … occurrences (a loop cannot flood the log)', () => {
    const { sut, target, errors, warnings } = build();
    const make = () => new Error('the same failure');
    // Same message and same throwing line: one key.
    const errs = Array.from({ length: 100 }, () => make());
    for (const e of errs) target.emit('unhandledRejection', e);
    target.emit('unhandledRejection', new Error('another failure'));
    expect(sut.unhandledRejections).toBe(101);
    expect(errors).toHaveLength(2);
    expect(warnings.map((w) => w.match(/: (\d+) times/)?.[1])).toEqual(['10', '100']);
  });

  it('describes a rejection that is not an Error', () => {
    const { target, errors } = build();
    target.emit('unhandledRejection', { code: 'X' });
    expect(errors[0]).toContain('non-error value: {"code":"X"}');
  });

  it('on an uncaught exception: logs the stack, closes gracefully, then exits 1', async () => {
    let closed = false;
    const { target, errors, exits } = build(() => {
      closed = true;
      return Promise.resolve();
    });
    const e = new TypeError('cannot read properties of undefined');
    target.emit('uncaughtException', e);
    expect(errors[0]).toContain('exit code 1');
    expect(errors[0]).toContain('TypeError: cannot read properties of undefined');
    expect(exits).toEqual([]);
    await flush();
    expect(closed).toBe(true);
    expect(exits).toEqual([1]);
  });

  it('exits 1 when the graceful close fails', async () => {
    const { target, errors, exits } = build(() => Promise.reject(new Error('database close failed')));
    target.emit('uncaughtException', new Error('boom'));
    await flush();
    expect(exits).toEqual([1]);
    expect(errors.some((m) => m.includes('database close failed'))).toBe(true);
  });

  it('exits 1 when the close hangs past its bound', () => {
    const { target, exits, timers } = build(() => new Promise(() => undefined));
    target.emit('uncaughtException', new Error('boom'));
    expect(timers).toHaveLength(1);
    expect(timers[0].ms).toBe(15_000);
    expect(exits).toEqual([]);
    timers[0].fn();
    expect(exits).toEqual([1]);
  });

  it('exits at once on a second uncaught exception during the close', () => {
    const { target, exits, errors } = build(() => new Promise(() => undefined));
    target.emit('uncaughtException', new Error('first'));
    target.emit('uncaughtException', new Error('second'));
    expect(exits).toEqual([1]);
    expect(errors[1]).toContain('while stopping');
  });
});
