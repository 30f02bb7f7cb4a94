/**
 * Whether invitation links can reach anyone else: links are built on PUBLIC_URL, and a PUBLIC_URL on
 * localhost, 127.x or ::1 opens this machine only, on whichever machine the link is opened. When
 * the server listens only on a loopback address (HOST 127.0.0.1, the default) nobody else could reach
 * it anyway and a local link is right; when HOST serves other machines (0.0.0.0, a LAN address…),
 * such a link works for no one but the person at this machine: the start-up log and the console
 * say so.
 */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '0:0:0:0:0:0:0:1';
}

/** True when PUBLIC_URL points at this machine only while HOST serves other machines. */
export function linksReachOnlyThisMachine(publicUrl: string, host: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(publicUrl).hostname;
  } catch {
    return false;
  }
  return isLoopbackHost(hostname) && !isLoopbackHost(host);
}

/** The start-up warning, or null when the links can work. */
export function publicUrlWarning(publicUrl: string, host: string): string | null {
  return linksReachOnlyThisMachine(publicUrl, host)
    ? `PUBLIC_URL is ${publicUrl}, which opens only this machine, while HOST=${host} serves other machines: invitation links and mailed links will not work for anyone else. Set PUBLIC_URL to the address people use to reach this server.`
    : null;
}
