import { ConsoleLogger, Logger, type LogLevel } from '@nestjs/common';
import type { AppConfig } from '@parley/platform';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * Nest's own start-up report: each module it initialised, each controller, route and socket
 * handler it mapped — about 70 lines that say nothing the code does not. Useful when wiring goes
 * wrong (LOG_LEVEL=debug shows them), noise at every start.
 */
export const NEST_BOOTSTRAP_CONTEXTS: ReadonlySet<string> = new Set([
  'NestFactory',
  'NestApplication',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'WebSocketsController',
]);

/**
 * Nest's console logger at LOG_LEVEL, with Nest's bootstrap report moved down to debug, and no
 * colour codes when the output is not a terminal (a log file, journald, a pipe).
 */
export class AppLogger extends ConsoleLogger {
  constructor(level: AppConfig['logLevel'], terminal = process.stdout.isTTY === true) {
    super({ logLevels: LEVELS.slice(0, LEVELS.indexOf(level) + 1), prefix: 'Parley', ...(terminal ? {} : { colors: false }) });
  }

  override log(message: unknown, ...rest: unknown[]): void {
    const context = rest.at(-1);
    if (typeof context === 'string' && NEST_BOOTSTRAP_CONTEXTS.has(context)) super.debug(message, ...rest);
    else super.log(message, ...rest);
  }
}

/**
 * Makes an AppLogger the logger of every `Logger` in the process, from now on: what is logged
 * before Nest starts (the secret, the database) follows LOG_LEVEL too. Pass it to NestFactory.
 */
export function installAppLogger(level: AppConfig['logLevel']): AppLogger {
  const logger = new AppLogger(level);
  Logger.overrideLogger(logger);
  return logger;
}
