// The baselines for bench/control-plane.js: a bare Socket.IO server that fans each message out to
// the sender's room and acknowledges it — no auth, no membership checks, no sequence, no audit
// chain. STORE says what it does first: `none` (nothing: the floor), `pg` (one INSERT into the
// PostgreSQL at DATABASE_URL, through a pool of 10) or `pglite` (one INSERT into an embedded PGlite
// in this process, as Parley's embedded mode before issue 17 did).
'use strict';
const { createServer } = require('node:http');
const { Server } = require('socket.io');

const store = process.env.STORE ?? 'pg';

async function openStore() {
  const table = `CREATE TABLE IF NOT EXISTS bare_messages (id bigserial PRIMARY KEY, room text NOT NULL, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`;
  const insert = 'INSERT INTO bare_messages (room, body) VALUES ($1, $2) RETURNING id';
  if (store === 'none') {
    let n = 0;
    return () => Promise.resolve(++n);
  }
  if (store === 'pglite') {
    const { PGlite } = require('@electric-sql/pglite');
    const db = new PGlite(process.env.PGLITE_DIR);
    await db.exec(table);
    return async (room, body) => Number((await db.query(insert, [room, body])).rows[0].id);
  }
  const { Pool } = require('pg');
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  await pool.query(table);
  return async (room, body) => Number((await pool.query(insert, [room, body])).rows[0].id);
}

async function main() {
  const save = await openStore();
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'] });
  io.on('connection', (socket) => {
    const room = String(socket.handshake.auth.room);
    void socket.join(room); // the in-memory adapter joins at once
    socket.on('chat.post', async (payload, ack) => {
      try {
        const seq = await save(room, String(payload.text));
        const event = { roomId: room, seq, payload: { text: payload.text, clientMessageId: payload.clientMessageId } };
        socket.to(room).emit('room.event', event); // the sender has it in the ack, as Parley does
        ack({ ok: true, data: event });
      } catch (e) {
        ack({ ok: false, error: { code: 'INTERNAL', message: e.message } });
      }
    });
  });
  // Loopback only, on a port the kernel picks (a fixed one collided when runs followed each other).
  await new Promise((r) => http.listen(0, '127.0.0.1', r));
  const { port } = http.address();
  process.send?.({ ready: true, port });
  console.log(`bare server (${store}) on ${port}`);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
process.on('SIGTERM', () => process.exit(0));
