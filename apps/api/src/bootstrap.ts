import 'reflect-metadata';
import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import { CSRF_HEADER, RefreshCookie, RefreshCookieInterceptor, resolveJwtSecret } from '@parley/auth';
import {
  DependencyMonitor,
  HttpErrorFilter,
  SystemClock,
  type Clock,
  VALIDATION_PIPE_OPTIONS,
  bodyParserErrors,
  inputGuard,
  OriginPolicy,
  openDatabase,
  type AppConfig,
} from '@parley/platform';
import cookieParser from 'cookie-parser';
import { json, type Request } from 'express';
import { AppModule } from './app.module';
import { installAppLogger } from './app-logger';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { RealtimeAdapter } from './realtime.adapter';
import { originGuard, securityHeaders } from './security-headers';
import { serveWebClient } from './web-client';

/**
 * Builds the whole platform from a validated configuration (used by main.ts and by the e2e suites).
 * A suite that tests a rule about time passes a clock it moves (ManualClock) instead of waiting.
 */
export async function createApp(base: AppConfig, options: { clock?: Clock } = {}): Promise<INestApplication> {
  const logger = installAppLogger(base.logLevel);
  const config: AppConfig = { ...base, jwtSecret: resolveJwtSecret(base) };
  const database = await openDatabase(config, ENTITIES, MIGRATIONS);
  const dependencies = new DependencyMonitor();
  try {
    const app = await NestFactory.create<NestExpressApplication>(
      AppModule.register(config, database, dependencies, options.clock ?? new SystemClock()),
      {
        logger,
        bodyParser: false,
      },
    );
    // Whose X-Forwarded-For names the client (the address the sign-in and other limits count by).
    app.set('trust proxy', config.trustProxy);
    // Headers first, so that every answer has them (errors, assets and the SPA fallback included);
    // then a browser page of a foreign origin is refused before anything reads its request.
    const origins = new OriginPolicy(config);
    app.disable('x-powered-by');
    app.use(securityHeaders(config), originGuard(origins), cookieParser());
    // Wherever an answer hands over a token pair, a browser gets the refresh token as the HttpOnly cookie.
    app.useGlobalInterceptors(new RefreshCookieInterceptor(new RefreshCookie(config)));
    // Cross-origin reads for the origins ALLOWED_ORIGINS lists (PUBLIC_URL's own page needs none).
    app.enableCors((req: Request, done: (e: Error | null, o: CorsOptions) => void) =>
      done(null, {
        origin: req.headers.origin !== undefined && origins.allows(req),
        credentials: true,
        allowedHeaders: ['authorization', 'content-type', CSRF_HEADER],
        exposedHeaders: ['retry-after', 'content-disposition'],
        maxAge: 600,
      }),
    );
    // Size, then depth and text (NUL, lone surrogates) before any DTO sees the body: errors get the API's shape.
    app.use(json({ limit: config.bodyLimitBytes }), inputGuard, bodyParserErrors);
    app.setGlobalPrefix('api');
    serveWebClient(app, config.webDir);
    app.useGlobalPipes(new ValidationPipe(VALIDATION_PIPE_OPTIONS));
    app.useGlobalFilters(new HttpErrorFilter());
    const realtime = new RealtimeAdapter(app, config, dependencies);
    await realtime.connectRedis();
    app.useWebSocketAdapter(realtime);
    // Signals are main.ts's: SIGTERM drains first (shutdown.ts), then closes the app and exits 0.

    const doc = new DocumentBuilder()
      .setTitle('Parley API')
      .setDescription('Remote mediation: sessions, parties, rooms, lobby and presence. Errors: { statusCode, code, message, field? }.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build();
    // Swagger UI would show a badge loaded from validator.swagger.io for a document it fetched by URL;
    // ours is inline, and the validator is switched off besides: the docs page asks nobody else.
    SwaggerModule.setup('api/docs', app, SwaggerModule.createDocument(app, doc), {
      jsonDocumentUrl: 'api/docs-json',
      swaggerOptions: { validatorUrl: null },
    });
    return app;
  } catch (e) {
    await database.close();
    throw e;
  }
}
