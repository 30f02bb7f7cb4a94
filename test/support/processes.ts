import { readdirSync, readFileSync } from 'node:fs';

/**
 * Processes as the media suites see them, from /proc (Linux): the SFU processes an API under test
 * started (Janus, mediasoup's workers) are found among the test process' descendants.
 */

/** Every live process under `root` (zombies, which have ended, left out). */
export function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (/\) Z /.test(stat)) continue;
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const under = (pid: number): boolean => {
    const p = parentOf.get(pid);
    return p === root || (p !== undefined && p > 1 && under(p));
  };
  return [...parentOf.keys()].filter(under);
}

/** A process' command line, its arguments joined by spaces ('' once it has gone). */
export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}
