// A flooding client in its own process, as an attacker's would be (forked by
// test/floods.e2e-spec.ts, with IPC). It connects and joins the session, says 'ready', and on 'go'
// emits one event at full speed, `window` of them always unanswered (more than a socket's budget
// and its refusals before a disconnect), until `ms` have passed, `max` are sent or the server
// disconnects it; then it sends back what it got (what was unanswered at a disconnect stays so)
// and exits.
//   argv: <url> <token> <sessionId> <event> <payload JSON, "$uuid" replaced per emit> <ms> <max> <window>
'use strict';
const { randomUUID } = require('node:crypto');
const { io } = require('socket.io-client');

const [url, token, sessionId, event, payloadJson, ms, max, window] = process.argv.slice(2);
const socket = io(url, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
const result = { sent: 0, ok: 0, refused: 0, other: [], retryAfter: [], disconnected: false };
let finished = false;
const done = () => {
  if (finished) return;
  finished = true;
  socket.close();
  process.send(result, () => process.exit(0));
};

/** Keeps `window` events unanswered at all times, until the time or count bound. */
function flood() {
  const end = Date.now() + Number(ms);
  let inFlight = 0;
  const pump = () => {
    while (inFlight < Number(window) && result.sent < Number(max) && Date.now() < end && !finished) {
      inFlight += 1;
      result.sent += 1;
      socket.timeout(30_000).emit(event, JSON.parse(payloadJson.replace('$uuid', randomUUID())), (err, ack) => {
        inFlight -= 1;
        if (err) result.other.push('NO_ANSWER');
        else if (ack.ok) result.ok += 1;
        else if (ack.error.code === 'RATE_LIMITED') {
          result.refused += 1;
          result.retryAfter.push(ack.error.details?.retryAfterSeconds);
        } else result.other.push(ack.error.code);
        if (inFlight === 0 && (result.sent >= Number(max) || Date.now() >= end)) done();
        else setImmediate(pump);
      });
    }
  };
  pump();
}

socket.on('disconnect', () => {
  result.disconnected = true;
  done();
});
socket.once('connect_error', (e) => {
  process.send({ error: e.data?.code ?? e.message }, () => process.exit(1));
});
socket.once('connect', async () => {
  const joined = await socket.emitWithAck('session.join', { sessionId });
  if (!joined.ok) return process.send({ error: `join: ${joined.error.code}` }, () => process.exit(1));
  process.once('message', flood);
  process.send('ready');
});
