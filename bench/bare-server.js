// The baseline for bench/control-plane.js: a bare Socket.IO server that stores each message in
// the same PostgreSQL before acknowledging it, and fans it out to the sender's room — no auth,
// no membership checks, no sequence, no audit chain. What Parley must stay within 2× of.
'use strict';
const { Server } = require('socket.io');
const { Pool } = require('pg');

const port = Number(process.env.PORT);
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

async function main() {
  await pool.query(
    `CREATE TABLE IF NOT EXISTS bare_messages (id bigserial PRIMARY KEY, room text NOT NULL, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
  );
  const io = new Server(port, { transports: ['websocket'] });
  io.on('connection', (socket) => {
    const room = String(socket.handshake.auth.room);
    void socket.join(room); // the in-memory adapter joins at once
    socket.on('chat.post', async (payload, ack) => {
      try {
        const { rows } = await pool.query('INSERT INTO bare_messages (room, body) VALUES ($1, $2) RETURNING id', [
          room,
          String(payload.text),
        ]);
        const event = { roomId: room, seq: Number(rows[0].id), payload: { text: payload.text, clientMessageId: payload.clientMessageId } };
        io.to(room).emit('room.event', event);
        ack({ ok: true, data: event });
      } catch (e) {
        ack({ ok: false, error: { code: 'INTERNAL', message: e.message } });
      }
    });
  });
  process.send?.('ready');
  console.log(`bare server on ${port}`);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
process.on('SIGTERM', () => process.exit(0));
