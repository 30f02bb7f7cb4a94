import { DataSource } from 'typeorm';
import { startApp, type TestApp } from './support/harness';

describe('health and API documentation', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(() => app.close());

  it('reports the database up, on /api/health and /api/health/ready; liveness checks nothing', async () => {
    const kind = app.databaseUrl ? 'postgres' : 'embedded';
    for (const path of ['/api/health', '/api/health/ready']) {
      const res = await app.http().get(path).expect(200);
      expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up', kind } }, error: {} });
      expect(res.headers['cache-control']).toContain('no-store');
    }
    const live = await app.http().get('/api/health/live').expect(200);
    expect(live.body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
  });

  it('serves the OpenAPI document and its UI', async () => {
    const doc = (await app.http().get('/api/docs-json').expect(200)).body;
    expect(doc.info.title).toBe('Parley API');
    for (const path of [
      '/api/auth/login',
      '/api/sessions',
      '/api/sessions/{sessionId}/participants/{participantId}/move',
      '/api/invitations/{token}/accept',
      '/api/health',
      '/api/health/live',
      '/api/health/ready',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.schemas.InviteDto.properties.role.enum).toEqual(['co_mediator', 'party_member', 'observer', 'interpreter']);
    const ui = await app.http().get('/api/docs').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('readiness answers 503 when the database is gone, naming it and since when; liveness stays 200', async () => {
    await app.app.get(DataSource).destroy();
    const res = await app.http().get('/api/health/ready').expect(503);
    expect(res.body).toMatchObject({
      statusCode: 503,
      code: 'DATABASE_UNAVAILABLE',
      retryable: true,
      status: 'error',
      error: { database: { status: 'down' } },
    });
    expect(Date.parse(res.body.error.database.since)).toBeLessThanOrEqual(Date.now());
    await app.http().get('/api/health').expect(503);
    await app.http().get('/api/health/live').expect(200);
  });
});
