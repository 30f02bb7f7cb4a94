import { Logger } from '@nestjs/common';
import { ConfigError, DataDirLockedError, loadConfig } from '@parley/platform';
import { createApp } from './bootstrap';
import { ProcessPolicy } from './process-policy';
import { RealtimeAdapter } from './realtime.adapter';
import { GracefulShutdown } from './shutdown';

/** Requests in flight get this long to be answered when the process stops. */
const GRACE_MS = 10_000;
/** What clients are told: reconnect after this long. */
const RECONNECT_AFTER_MS = 1_000;

async function main(): Promise<void> {
  const began = Date.now();
  let shutdown: GracefulShutdown | null = null;
  // Installed first: a failure nobody handled, even during start-up, follows the policy (see process-policy.ts).
  new ProcessPolicy({
    log: { error: (m) => Logger.error(m, 'Process'), warn: (m) => Logger.warn(m, 'Process') },
    close: () => shutdown?.stop('uncaught exception') ?? Promise.resolve(),
    exit: (code) => process.exit(code),
    closeWithinMs: GRACE_MS + 5_000,
  }).install();

  const config = loadConfig();
  const app = await createApp(config);
  const realtime = RealtimeAdapter.of(app);
  if (!realtime) throw new Error('the Socket.IO adapter was not created');
  const stopper = new GracefulShutdown(app, realtime, { graceMs: GRACE_MS, reconnectAfterMs: RECONNECT_AFTER_MS }).trackHttp();
  shutdown = stopper;
  let signals = 0;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (++signals > 1) {
        Logger.warn(`${signal} again while stopping: exiting now`, 'Shutdown');
        process.exit(1);
      }
      // A stop that hangs past the grace period (a close that never returns) still ends the process.
      setTimeout(() => {
        Logger.error('Stop did not finish in time; exiting', 'Shutdown');
        process.exit(1);
      }, GRACE_MS + 10_000).unref();
      stopper.stop(signal).then(
        () => process.exit(0),
        (e: unknown) => {
          Logger.error(`Stop failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`, 'Shutdown');
          process.exit(1);
        },
      );
    });
  }

  await app.listen(config.port, config.host);
  // The last line of a start: each dependency has said where it is, above (Database, Realtime, Media).
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  Logger.log(
    `listening on http://${host}:${config.port} (API docs at /api/docs), started in ${((Date.now() - began) / 1000).toFixed(1)} s`,
    'Parley',
  );
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof DataDirLockedError) {
    console.error(e.message);
  } else {
    console.error(e);
  }
  process.exit(1);
});
