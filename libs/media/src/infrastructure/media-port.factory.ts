import { Logger } from '@nestjs/common';
import type { AppConfig, DependencyMonitor } from '@parley/platform';
import type { MediaPort } from '../application/media.port';
import { JanusMediaAdapter } from './janus/janus.adapter';
import { findJanusBinary, startJanus } from './janus/janus-process';
import { MediasoupMediaAdapter } from './mediasoup/mediasoup.adapter';
import { NoSfuAdapter } from './no-sfu.adapter';
import { SfuSupervisor } from './sfu-supervisor';

/**
 * Which SFU this platform uses (MEDIA_SFU):
 * - 'mediasoup': mediasoup's workers, started by Parley; media unavailable, with the reason, when
 *   the optional package is not installed or its worker does not start.
 * - 'janus': JANUS_URL's Janus; else a Janus started on loopback when a `janus` binary is here
 *   (JANUS_BINARY, or found on the PATH); else none.
 * - 'none': no SFU; the platform runs and media says so.
 * - 'auto' (the default): an explicit Janus variable (JANUS_URL, or JANUS_BINARY, 'none' included)
 *   keeps meaning what it meant before mediasoup existed, so that no operator's setup changes
 *   silently; without one, mediasoup when its package loads and a worker starts, else a Janus
 *   binary found on the PATH, else none. One line says which SFU and why not the others.
 *
 * Every SFU is supervised (SfuSupervisor): Parley's own (mediasoup workers, a Janus process) is
 * restarted when lost, JANUS_URL's is reconnected to when the connection drops — with backoff,
 * reported to `dependencies`. A mediasoup worker that dies is replaced by the adapter itself; only
 * when no worker starts is the adapter lost and restarted whole.
 */
export async function createMediaPort(config: AppConfig, dependencies?: DependencyMonitor): Promise<MediaPort> {
  const logger = new Logger('Media');
  const sfuLog = { log: (m: string) => logger.log(m), warn: (m: string) => logger.warn(m) };
  const supervised = { logger: sfuLog, ...(dependencies ? { dependencies } : {}) };
  switch (config.mediaSfu) {
    case 'none':
      return unavailable(logger, 'no SFU: MEDIA_SFU=none was chosen', true);
    case 'janus':
      return createJanusPort(config, logger, supervised);
    case 'mediasoup': {
      const port = await startMediasoup(config, sfuLog, supervised);
      if (port.ok) return port.port;
      return unavailable(logger, `MEDIA_SFU=mediasoup, but ${port.reason}`);
    }
    case 'auto': {
      if (config.janusUrl) return createJanusPort(config, logger, supervised, 'MEDIA_SFU=auto and JANUS_URL is set');
      if (config.janusBinary) return createJanusPort(config, logger, supervised, 'MEDIA_SFU=auto and JANUS_BINARY is set');
      const port = await startMediasoup(config, sfuLog, supervised);
      if (port.ok) return port.port;
      return createJanusPort(config, logger, supervised, port.reason);
    }
  }
}

type Supervised = { logger: { log(m: string): void; warn(m: string): void }; dependencies?: DependencyMonitor };

/**
 * mediasoup, supervised: the first start decides whether it can be had here at all (the package
 * loads, a worker starts); after that, a lost adapter is restarted with backoff like a Janus.
 */
async function startMediasoup(
  config: AppConfig,
  log: Supervised['logger'],
  supervised: Supervised,
): Promise<{ ok: true; port: MediaPort } | { ok: false; reason: string }> {
  const open = () =>
    MediasoupMediaAdapter.start({
      workers: config.mediasoupWorkers,
      listenIp: config.mediasoupListenIp,
      announcedAddress: config.mediasoupAnnouncedAddress,
      minPort: config.mediasoupMinPort,
      maxPort: config.mediasoupMaxPort,
      defaultBitrateKbps: config.mediaBitrateKbps,
      logger: log,
    });
  let first: MediasoupMediaAdapter;
  try {
    first = await open();
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
  log.log(`SFU: ${first.describe()}`);
  let handed = false;
  const port = new SfuSupervisor(
    async () => {
      if (!handed) {
        handed = true;
        return first;
      }
      const adapter = await open();
      log.log(`SFU: ${adapter.describe()} (restarted)`);
      return adapter;
    },
    { mode: 'restart', ...supervised },
  );
  await port.start();
  return { ok: true, port };
}

/**
 * Janus as before mediasoup: JANUS_URL's, else one started from a binary, else none. `notMediasoup`
 * (under MEDIA_SFU=auto) says why mediasoup was not taken, for the one line that names the SFU.
 */
async function createJanusPort(config: AppConfig, logger: Logger, supervised: Supervised, notMediasoup?: string): Promise<MediaPort> {
  const janusLog = supervised.logger;
  const common = { defaultBitrateKbps: config.mediaBitrateKbps, logger: janusLog };
  // The first line that names the SFU also says why mediasoup was not taken (MEDIA_SFU=auto).
  let why = notMediasoup ? `${notMediasoup}; ` : '';
  const said = (line: string) => {
    logger.log(`${why}${line}`);
    why = '';
  };
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
        said(`SFU: the Janus at ${url}`);
        return adapter;
      },
      { mode: 'reconnect', ...supervised },
    );
    await port.start();
    return port;
  }
  if (config.janusBinary === 'none') return unavailable(logger, 'no SFU configured (JANUS_BINARY=none, no JANUS_URL)', true);
  const binary = config.janusBinary ?? findJanusBinary(config.searchPath);
  if (!binary) return unavailable(logger, `${why}no SFU: JANUS_URL is not set and no janus binary was found on this machine`);
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
        said(
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
