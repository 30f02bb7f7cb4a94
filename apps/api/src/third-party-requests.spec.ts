import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * Parley sends nothing to anyone but its own users: the page loads no font, script or style from
 * elsewhere and configures no STUN or TURN server; the server calls out to nobody; the Janus it
 * starts asks no STUN server. Read from the sources (the built page is checked by
 * scripts/smoke-start.sh). A documentation link in a comment would need an entry here.
 */
const ROOT = resolve(__dirname, '..', '..', '..');

function filesUnder(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : filesUnder(path, ext);
    // Specs, and the data only specs load (`*.fixture.ts`: e.g. a router's RTP capabilities, whose
    // header extensions are named by URIs that nothing fetches), are not what Parley runs.
    return ext.test(name) && !/\.(spec|e2e-spec|fixture)\.tsx?$/.test(name) ? [path] : [];
  });
}
const named = (files: string[]) => files.map((f) => [relative(ROOT, f), readFileSync(f, 'utf8')]);

/** An absolute or protocol-relative URL whose host is not this machine. */
const ELSEWHERE = /(?:\b(?:https?|wss?):)?\/\/(?!(?:127\.0\.0\.1|localhost|\[::1\])[:/])[a-z0-9-]+(?:\.[a-z0-9-]+)+/i;
/** The same, written out in full with a named host (a template such as `http://${host}` is not one). */
const NAMED_HOST = /\b(?:https?|wss?):\/\/(?!(?:127\.0\.0\.1|localhost)[:/])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b/i;

const page = named([join(ROOT, 'apps/web/index.html'), ...filesUnder(join(ROOT, 'apps/web/src'), /\.(tsx?|css|html)$/)]);
const server = named([...filesUnder(join(ROOT, 'apps/api/src'), /\.ts$/), ...filesUnder(join(ROOT, 'libs'), /\.ts$/)]);
const janus = named(filesUnder(join(ROOT, 'infra/janus'), /\.jcfg$/));

describe('no third-party requests', () => {
  it('reads the sources it judges', () => {
    expect(page.length).toBeGreaterThan(20);
    expect(server.length).toBeGreaterThan(50);
    expect(janus.map(([name]) => name)).toContain('infra/janus/janus.jcfg');
  });

  it.each(page)('the page: %s names no other host (fonts, CDNs, analytics)', (_name, text) => {
    expect(text).not.toMatch(ELSEWHERE);
    expect(text).not.toMatch(/@import\s+(?:url\()?['"]?(?:[a-z]+:)?\/\//i);
  });

  it('the page configures no STUN or TURN server: its peer connections use host candidates only', () => {
    const all = page.map(([, text]) => text).join('\n');
    expect(all).toMatch(/new RTCPeerConnection\(/);
    expect(all).not.toMatch(/new RTCPeerConnection\((?!\s*\))/);
    // A STUN or TURN URI is its scheme then the host, no space (`turn:relay.example:3478`); an
    // object key named `turn` (an interpreter's turn) is not one.
    expect(all).not.toMatch(/iceServers|\b(?:stun|turns?):(?!\s)/);
    expect('iceServers: [{ urls: "turn:relay.example:3478" }]').toMatch(/\b(?:stun|turns?):(?!\s)/);
    expect("{ urls: 'stun:relay.example' }").toMatch(/\b(?:stun|turns?):(?!\s)/);
  });

  it.each(server)('the server: %s calls no other host', (_name, text) => {
    expect(text).not.toMatch(NAMED_HOST);
    expect(text).not.toMatch(/from '(?:axios|node-fetch|got|undici|node:https|https)'/);
    expect(text).not.toMatch(/\bhttps?\.(?:request|get)\(/);
    // The global fetch, not a method of that name (`async fetch(key)`, `abstract fetch(key)`, `store.fetch(key)`).
    expect(text).not.toMatch(/(?<![\w.]|async |function |abstract )fetch\(/);
  });

  it.each(janus)('the Janus Parley starts: %s asks no STUN or TURN server', (_name, text) => {
    const active = text
      .split('\n')
      .filter((line) => !/^\s*#/.test(line))
      .join('\n');
    expect(active).not.toMatch(/^\s*(?:stun_server|stun_port|turn_server|turn_rest_api)\s*=/m);
  });
});
