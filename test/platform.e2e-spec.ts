import { DataSource } from 'typeorm';
import { startApp, type TestApp } from './support/harness';

describe('health and API documentation', () => {
  let app: TestApp;
  beforeAll(async () => { app = await startApp(); });
  afterAll(() => app.close());

  it('reports the database up', async () => {
    const res = await app.http().get('/api/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', database: { status: 'up', kind: app.databaseUrl ? 'postgres' : 'embedded' } });
  });

  it('serves the OpenAPI document and its UI', async () => {
    const doc = (await app.http().get('/api/docs-json').expect(200)).body;
    expect(doc.info.title).toBe('Parley API');
    for (const path of ['/api/auth/login', '/api/sessions', '/api/sessions/{sessionId}/participants/{participantId}/move', '/api/invitations/{token}/accept', '/api/health']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.schemas.InviteDto.properties.role.enum).toEqual(['co_mediator', 'party_member', 'observer']);
    const ui = await app.http().get('/api/docs').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('answers 503 when the database is gone', async () => {
    await app.app.get(DataSource).destroy();
    const res = await app.http().get('/api/health').expect(503);
    expect(res.body).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
  });
});
