/* global self, caches, fetch, URL, Response */
/**
 * Parley's service worker: the app's hashed files kept in the browser, so that a returning delegate
 * on a slow link loads the page from here and only the API and Socket.IO cross the network.
 * This file is a template: the build (apps/web/build/service-worker-plugin.ts) writes it to
 * dist/web/sw.js with the build's version and its list of files in place of the two markers.
 *
 * - Install: every hashed file of the build and the shell (index.html), in a cache named after the
 *   build; activate: the caches of earlier builds are deleted, and the open pages taken over.
 * - /assets/*: cache first (a hashed name never changes content), fetched and kept on a miss.
 * - A page (navigation): the network first, so that a new build reaches people at once (the
 *   server says no-cache); the cached shell when the network fails (offline, the server away) —
 *   the respondent's page (consult.html) for a consultation link, /c/<link>.
 * - /api and /socket.io are never answered from a cache, nor anything of another origin.
 */
const VERSION = '__PARLEY_BUILD_VERSION__';
const PRECACHE = ['__PARLEY_PRECACHE__'];
const CACHE = `parley-${VERSION}`;
const SHELL = '/index.html';
const RESPONDENT_SHELL = '/consult.html';
const NEVER = /^\/(api|socket\.io)(\/|$)/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([SHELL, RESPONDENT_SHELL, ...PRECACHE]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('parley-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || NEVER.test(url.pathname)) return;
  if (req.mode === 'navigate') event.respondWith(page(req));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(asset(req));
});

async function asset(req) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(req);
  if (hit) return hit;
  const res = await fetch(req);
  if (res.ok) await cache.put(req, res.clone());
  return res;
}

async function page(req) {
  try {
    return await fetch(req);
  } catch (e) {
    const path = new URL(req.url).pathname;
    const shell = await caches.open(CACHE).then((cache) => cache.match(/^\/c\//.test(path) ? RESPONDENT_SHELL : SHELL));
    if (shell) return shell;
    throw e;
  }
}
