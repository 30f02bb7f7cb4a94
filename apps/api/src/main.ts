import { Logger } from '@nestjs/common';
import { ConfigError, DataDirLockedError, loadConfig } from '@parley/platform';
import { createApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PostgreSQL in ${config.dataDir}`;
  Logger.log(`Parley listening on http://${config.host}:${config.port} — API docs at /api/docs — database: ${where}`, 'Parley');
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof DataDirLockedError) {
    console.error(e.message);
  } else {
    console.error(e);
  }
  process.exit(1);
});
