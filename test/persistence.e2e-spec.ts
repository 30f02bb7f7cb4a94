import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DataDirLockedError, loadConfig, openDatabase } from '@parley/platform';
import { ENTITIES } from '../apps/api/src/entities';
import { MIGRATIONS } from '../apps/api/src/migrations';
import { ApiProcess, freePort } from './support/api-process';
import { remoteApp, startApp, TestClient, type TestApp } from './support/harness';
import { bearer, createSession, inviteNew, register } from './support/people';

describe('the schema', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(() => app.close());

  it('is exactly what the entities describe once the migrations ran', async () => {
    const log = await app.app.get(DataSource).driver.createSchemaBuilder().log();
    expect(log.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('keeps the audit trail append-only', async () => {
    const mediator = await register(app, 'Auditor');
    const session = await createSession(app, mediator);
    const ds = app.app.get(DataSource);
    await expect(ds.query(`UPDATE audit_entries SET payload = '{}' WHERE session_id = $1`, [session.id])).rejects.toThrow(/append-only/);
    await expect(ds.query(`DELETE FROM audit_entries WHERE session_id = $1`, [session.id])).rejects.toThrow(/append-only/);
    await expect(ds.query(`TRUNCATE audit_entries`)).rejects.toThrow(/append-only/);
    const trail = (await app.http().get(`/api/sessions/${session.id}/audit`).set(bearer(mediator)).expect(200)).body;
    expect(trail.verification.valid).toBe(true);
  });

  it('chains concurrent changes of one session without a gap or a fork', async () => {
    const mediator = await register(app, 'Busy Mediator');
    const session = await createSession(app, mediator, []);
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        app
          .http()
          .post(`/api/sessions/${session.id}/parties`)
          .set(bearer(mediator))
          .send({ name: `Party ${i}` })
          .expect(201),
      ),
    );
    const trail = (await app.http().get(`/api/sessions/${session.id}/audit`).set(bearer(mediator)).expect(200)).body;
    expect(trail.verification).toEqual({ valid: true, length: 4 + 12 });
  });
});

describe('the embedded PostgreSQL on disk', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const env = () => ({ DATA_DIR: dir, JWT_SECRET: '' });

  it('keeps sessions, accounts, locations and the signing secret across a restart, and refuses a second process', async () => {
    const first = await startApp(env(), null);
    const mediator = await register(first, 'Persistent Mediator');
    const session = await createSession(first, mediator, ['P']);
    const member = await inviteNew(first, mediator, session.id, 'Persistent Member', {
      role: 'party_member',
      partyId: session.parties[0].id,
    });
    await first.http().post(`/api/sessions/${session.id}/status`).set(bearer(mediator)).send({ status: 'open' }).expect(200);
    await first
      .http()
      .post(`/api/sessions/${session.id}/participants/${member.participantId}/admit`)
      .set(bearer(mediator))
      .send({ roomId: session.parties[0].caucusRoomId })
      .expect(200);

    // A second process on the same folder is refused while the first runs.
    try {
      await expect(openDatabase(loadConfig({ DATA_DIR: dir }), ENTITIES, MIGRATIONS)).rejects.toBeInstanceOf(DataDirLockedError);
    } finally {
      // Also after a failure: a first app left open holds the folder and keeps Jest from exiting.
      await first.close();
    }

    const second = await startApp(env(), null);
    try {
      // The token issued before the restart is still valid: the generated secret was kept.
      const view = await second.http().get(`/api/sessions/${session.id}`).set(bearer(member)).expect(200);
      expect(view.body.me.roomId).toBe(session.parties[0].caucusRoomId);
      const c = await TestClient.connect(second.url, member.token);
      expect((await c.join(session.id)).room?.id).toBe(session.parties[0].caucusRoomId);
      c.close();
      const trail = (await second.http().get(`/api/sessions/${session.id}/audit`).set(bearer(mediator)).expect(200)).body;
      expect(trail.verification.valid).toBe(true);
    } finally {
      await second.close();
    }
  });

  /**
   * A first start cut short while the database was being created (killed, the machine stopped),
   * at its worst moment: PGlite has written `PG_VERSION`, not yet `pg_hba.conf`. The creating
   * process is made to die (-9) there by a module loaded into it (NODE_OPTIONS, which it inherits
   * from the server). The next start must create the database anew and serve.
   */
  it('starts after a first start that was cut while creating the database', async () => {
    const cut = mkdtempSync(join(tmpdir(), 'parley-e2e-cut-'));
    try {
      const dieAfterVersion = join(cut, 'die-after-pg-version.js');
      writeFileSync(
        dieAfterVersion,
        `const fs = require('node:fs');
        const [, pglite, folder] = process.argv;
        if (require('node:worker_threads').isMainThread && String(pglite).includes('@electric-sql/pglite')) {
          const version = folder + '/PG_VERSION';
          let versionWritten = false;
          const open = fs.openSync;
          fs.openSync = function (path, ...rest) {
            if (versionWritten && path !== version) process.kill(process.pid, 'SIGKILL');
            if (path === version) versionWritten = true;
            return open.call(this, path, ...rest);
          };
        }`,
      );
      const dataDir = join(cut, 'data');
      const first = new ApiProcess(await freePort(), { DATA_DIR: dataDir, NODE_OPTIONS: `--require ${dieAfterVersion}` });
      await expect(first.start()).rejects.toThrow(/could not be created \(SIGKILL\)/);
      // What the cut left is no database: nothing named pgdata says otherwise.
      expect(existsSync(join(dataDir, 'pgdata', 'PG_VERSION'))).toBe(false);
      expect(readdirSync(dataDir)).toContain('pgdata.creating');

      const next = new ApiProcess(await freePort(), { DATA_DIR: dataDir });
      try {
        await next.start();
        const app = remoteApp(next.url);
        const mediator = await register(app, 'Mediator After The Cut');
        const session = await createSession(app, mediator, ['P']);
        await app.http().get(`/api/sessions/${session.id}`).set(bearer(mediator)).expect(200);
      } finally {
        await next.stop();
      }
      expect(readdirSync(dataDir)).not.toContain('pgdata.creating');
    } finally {
      rmSync(cut, { recursive: true, force: true });
    }
  }, 180_000);
});
