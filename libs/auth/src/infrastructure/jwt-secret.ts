import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertPrivate, ensurePrivateDir, type AppConfig } from '@parley/platform';

/**
 * JWT_SECRET when set. Otherwise (zero-setup runs) a random secret kept in DATA_DIR so that
 * tokens survive a restart; with DATA_DIR=memory:// it lives as long as the process.
 */
export function resolveJwtSecret(config: AppConfig): string {
  if (config.jwtSecret) return config.jwtSecret;
  if (config.dataDir === 'memory://') return randomBytes(48).toString('base64url');
  const file = join(config.dataDir, 'jwt-secret');
  ensurePrivateDir(config.dataDir);
  if (existsSync(file)) {
    // Whoever could read it could sign a token as anyone.
    assertPrivate(file, `chmod 600 ${file}`);
    return readFileSync(file, 'utf8').trim();
  }
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  Logger.warn(`JWT_SECRET is not set: generated one in ${file}`, 'Auth');
  return secret;
}

/** The secret after boot has resolved it (see resolveJwtSecret, called once in the app's bootstrap). */
export function requireJwtSecret(config: AppConfig): string {
  if (!config.jwtSecret) throw new Error('JWT secret not resolved: call resolveJwtSecret at boot');
  return config.jwtSecret;
}
