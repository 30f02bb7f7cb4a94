import { Logger } from '@nestjs/common';
import { ConfigError, DataDirLockedError, NotPrivateError, loadConfig } from '@parley/platform';
import { publicUrlWarning } from '@parley/sessions/application/public-url';
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
  // Whatever the process creates is its user's alone (0700 folders, 0600 files), above all in
  // DATA_DIR (see ensurePrivateDir and tightenTree, which also handle the files PGlite writes 0666
  // whatever the umask). Nothing the server writes is for another user: the web client is built
  // beforehand and only read, Janus runs as this user in its own 0700 runtime folder, and the
  // server listens on TCP, not on a socket file.
  process.umask(0o077);
  let shutdown: GracefulShutdown | null = null;
  // Installed first: a failure nobody handled, even during start-up, follows the policy (see process-policy.ts).
  new ProcessPolicy({
    log: { error: (m) => Logger.error(m, 'Process'), warn: (m) => Logger.warn(m, 'Process') },
    close: () => shutdown?.stop('uncaught exception') ?? Promise.resolve(),
    exit: (code) => process.exit(code),
    closeWithinMs: GRACE_MS + 5_000,
  }).install();

  const config = loadConfig();
  // Said before anything starts, so that it is read: links nobody else could open.
  const linkWarning = publicUrlWarning(config.publicUrl, config.host);
  if (linkWarning) Logger.warn(linkWarning, 'Config');
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
  if (e instanceof ConfigError || e instanceof DataDirLockedError || e instanceof NotPrivateError) {
    console.error(e.message);
  } else {
    console.error(e);
  }
  process.exit(1);
});
