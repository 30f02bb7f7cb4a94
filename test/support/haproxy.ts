import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The haproxy binary: on the PATH, or where Debian's package puts it (/usr/sbin, not on a user's PATH). */
export function findHaproxy(): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin', '/usr/local/sbin'];
  for (const d of dirs) if (existsSync(join(d, 'haproxy'))) return join(d, 'haproxy');
  return null;
}
