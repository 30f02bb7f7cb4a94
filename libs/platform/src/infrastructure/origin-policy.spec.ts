import { ConfigError, loadConfig } from '../config/app-config';
import { OriginPolicy } from './origin-policy';

const request = (origin: string | undefined, localPort = 3000) => ({
  headers: origin === undefined ? {} : { origin },
  socket: { localPort },
});

describe('OriginPolicy', () => {
  describe('PUBLIC_URL on loopback (a local installation)', () => {
    const sut = new OriginPolicy({ publicUrl: 'http://localhost:3000', allowedOrigins: ['https://console.example.org'] });

    it.each([
      ['no Origin: not a browser', undefined, 3000],
      ['PUBLIC_URL itself', 'http://localhost:3000', 3000],
      ['127.0.0.1 on the port listened on', 'http://127.0.0.1:3000', 3000],
      ['[::1] on the port listened on', 'http://[::1]:3000', 3000],
      ['a loopback origin on another listening port (PORT=0)', 'http://127.0.0.1:45123', 45123],
      ['a listed origin', 'https://console.example.org', 3000],
    ])('allows %s', (_label, origin, port) => {
      expect(sut.allows(request(origin, port))).toBe(true);
    });

    it.each([
      ['another site', 'https://evil.example', 3000],
      ['loopback on another port than the one listened on', 'http://127.0.0.1:3001', 3000],
      ['loopback over https when PUBLIC_URL is http', 'https://127.0.0.1:3000', 3000],
      ['a look-alike host', 'http://127.0.0.1.evil.example:3000', 3000],
      ['a listed origin on another port', 'https://console.example.org:8443', 3000],
      ['the opaque origin of a sandboxed frame or a file', 'null', 3000],
      ['something that is not an origin', 'http://127.0.0.1:3000/path', 3000],
      ['garbage', '::::', 3000],
    ])('refuses %s', (_label, origin, port) => {
      expect(sut.allows(request(origin, port))).toBe(false);
    });

    it('reads a default port as the one listened on', () => {
      const onDefault = new OriginPolicy({ publicUrl: 'http://localhost', allowedOrigins: [] });
      expect(onDefault.isAllowed('http://127.0.0.1', 80)).toBe(true);
      expect(onDefault.isAllowed('http://127.0.0.1', 8080)).toBe(false);
    });
  });

  describe('PUBLIC_URL elsewhere (behind a TLS proxy)', () => {
    const sut = new OriginPolicy({ publicUrl: 'https://parley.example.org', allowedOrigins: [] });

    it('allows PUBLIC_URL only: loopback is just another origin there', () => {
      expect(sut.allows(request('https://parley.example.org'))).toBe(true);
      expect(sut.allows(request('http://parley.example.org'))).toBe(false);
      expect(sut.allows(request('http://127.0.0.1:3000'))).toBe(false);
      expect(sut.allows(request('http://localhost:3000'))).toBe(false);
    });
  });
});

describe('ALLOWED_ORIGINS', () => {
  it('reads origins separated by commas, a trailing slash allowed', () => {
    expect(loadConfig({ ALLOWED_ORIGINS: ' https://a.example.org, http://localhost:5173/ ' }).allowedOrigins).toEqual([
      'https://a.example.org',
      'http://localhost:5173',
    ]);
    expect(loadConfig({}).allowedOrigins).toEqual([]);
  });

  it.each(['https://a.example.org/app', '*', 'https://*.example.org', 'ftp://a.example.org', 'https://u:p@a.example.org', 'a.example.org'])(
    'refuses %s: an origin is scheme://host[:port], no path, pattern or credentials',
    (raw) => {
      expect(() => loadConfig({ ALLOWED_ORIGINS: raw })).toThrow(ConfigError);
    },
  );
});
