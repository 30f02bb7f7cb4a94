import { Logger } from '@nestjs/common';
import type { AppConfig, DependencyMonitor } from '@parley/platform';
import type { MediaPort } from '../application/media.port';
import { JanusMediaAdapter } from './janus/janus.adapter';
import { findJanusBinary, startJanus } from './janus/janus-process';
import { NoSfuAdapter } from './no-sfu.adapter';
import { SfuSupervisor } from './sfu-supervisor';

/**
 * Which SFU this platform uses: JANUS_URL's Janus; else a Janus started on loopback with the
 * project's configuration when a `janus` binary is here (JANUS_BINARY, or found on the PATH); else
 * none — the platform still runs and media reports itself unavailable, with the reason.
 *
 * A Janus is supervised (SfuSupervisor): Parley's own is restarted when it exits, JANUS_URL's is
 * reconnected to when the connection drops — both with backoff, both reported to `dependencies`.
 */
export async function createMediaPort(config: AppConfig, dependencies?: DependencyMonitor): Promise<MediaPort> {
  const logger = new Logger('Media');
  const janusLog = { log: (m: string) => logger.log(m), warn: (m: string) => logger.warn(m) };
  const common = { defaultBitrateKbps: config.mediaBitrateKbps, logger: janusLog };
  const supervised = { logger: janusLog, ...(dependencies ? { dependencies } : {}) };
  if (config.janusUrl) {
    const url = config.janusUrl;
    const port = new SfuSupervisor(
      async () => {
        const adapter = await JanusMediaAdapter.connect({
          ...common,
          url,
          adminKey: config.janusAdminKey!,
          ...(config.janusApiSecret ? { apiSecret: config.janusApiSecret } : {}),
        });
        logger.log(`SFU: the Janus at ${url}`);
        return adapter;
      },
      { mode: 'reconnect', ...supervised },
    );
    await port.start();
    return port;
  }
  if (config.janusBinary === 'none') return unavailable(logger, 'no SFU configured (JANUS_BINARY=none, no JANUS_URL)', true);
  const binary = config.janusBinary ?? findJanusBinary(config.searchPath);
  if (!binary) return unavailable(logger, 'no SFU: JANUS_URL is not set and no janus binary was found on this machine');
  const port = new SfuSupervisor(
    async () => {
      const janus = await startJanus({
        binary,
        configDir: config.janusConfigDir,
        logger: janusLog,
        ...(config.janusIceInterface ? { iceInterface: config.janusIceInterface } : {}),
      });
      try {
        const adapter = await JanusMediaAdapter.connect({
          ...common,
          url: janus.url,
          adminKey: janus.adminKey,
          apiSecret: janus.apiSecret,
          ownedProcess: janus,
        });
        // The one line of a started Janus (and of each restart): its own pid, not its watchdog's.
        logger.log(
          `SFU: Janus pid ${janus.pid} on ${janus.url}, started by Parley${config.janusIceInterface ? `, ICE on ${config.janusIceInterface}` : ''}`,
        );
        return adapter;
      } catch (e) {
        await janus.stop();
        throw e;
      }
    },
    { mode: 'restart', ...supervised },
  );
  await port.start();
  return port;
}

/** A deliberate choice is logged as such; anything else is a warning. */
function unavailable(logger: Logger, reason: string, chosen = false): MediaPort {
  if (chosen) logger.log(`media off: ${reason}`);
  else logger.warn(`media unavailable: ${reason}`);
  return new NoSfuAdapter(reason);
}
