import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import compression from 'compression';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** Paths the API, Socket.IO and the assets own: never answered with the client's page (a missing asset is a 404). */
const SERVER_PATHS = /^\/(api|socket\.io|assets)(\/|$)/;
/** A consultation's respondent page, `/c/<link>`: a page of its own (consult.html), not the app. */
const RESPONDENT_PATHS = /^\/c(\/|$)/;

/**
 * Serves the built web client (apps/web → dist/web) from the same origin as the API, so that
 * `npm start` serves the whole platform and invitation links (`/invitations/<token>`) open the app.
 * Hashed assets are cached for a year; index.html never is, so a new build reaches people at once.
 * A GET of `/c/<link>` that asks for HTML gets consult.html, the small page a consultation's
 * respondents use without the app. Any other GET that asks for HTML gets index.html: the client routes it. The service worker
 * (sw.js) keeps the hashed files in the browser for repeat visits.
 */
export function serveWebClient(app: NestExpressApplication, webDir: string): boolean {
  const index = join(webDir, 'index.html');
  const consult = join(webDir, 'consult.html');
  if (!existsSync(index)) {
    Logger.warn(`No web client in ${webDir} (run "npm run build:web"): serving the API only`, 'WebClient');
    return false;
  }
  // The client's files travel gzip-compressed (the budget apps/web/build/bundle-report.mjs holds is
  // their gzip size: 159 kB instead of 543 kB on the wire, 20 s instead of 68 s at 64 kbit/s). Only
  // the client's paths: the API's JSON is small, Socket.IO compresses its own frames.
  const compress = compression();
  app.use((req: Request, res: Response, next: NextFunction) =>
    /^\/(api|socket\.io)(\/|$)/.test(req.path) ? next() : compress(req, res, next),
  );
  app.useStaticAssets(join(webDir, 'assets'), { prefix: '/assets/', immutable: true, maxAge: '365d' });
  // The service worker (sw.js, at the root so that its scope is the whole client): revalidated on
  // every check, so a new build's worker, and with it the new cache, is seen on the next visit.
  app.useStaticAssets(webDir, {
    index: false,
    maxAge: '1h',
    setHeaders: (res: Response, path: string) => {
      if (path === join(webDir, 'sw.js')) res.setHeader('Cache-Control', 'no-cache');
    },
  });
  const respondentPage = existsSync(consult);
  if (!respondentPage) Logger.warn(`No consult.html in ${webDir}: consultation links (/c/…) get the app's page`, 'WebClient');
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || SERVER_PATHS.test(req.path) || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(respondentPage && RESPONDENT_PATHS.test(req.path) ? consult : index);
  });
  return true;
}
