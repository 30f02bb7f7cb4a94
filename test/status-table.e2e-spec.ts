import type { SessionView, ShuttleMessageView } from '@parley/contracts';
import { CoolingOffScheduler } from '@parley/shuttle/application/cooling-off.scheduler';
import { DataSource } from 'typeorm';
import { startApp, TestClient, type TestApp } from './support/harness';
import { bearer, createSession, inviteNew, register, roomOf, type Person } from './support/people';
import { STATUSES, STATUS_ROWS, STATUS_TABLE, type Outcome, type Status, type StatusRow } from './support/permission-table';

/**
 * The status rules, generated from test/support/permission-table.ts (STATUS_TABLE): every action ×
 * every status, through the real API — REST and Socket.IO for what people do, the cooling-off
 * scheduler itself for the release. One session per status, brought there the way people do.
 *
 * A draft session has no shuttle message: submitting needs an open session, and no session
 * returns to draft. The rows that act on an existing message are therefore generated for open,
 * suspended and closed; their draft column is the unit spec's (lifecycle.policy.spec.ts), and the
 * draft column of shuttleSubmit, generated here, is what makes them unreachable.
 */
type Transport = 'rest' | 'socket' | 'scheduler';

const NEEDS_A_MESSAGE: readonly StatusRow[] = [
  'shuttleWithdraw',
  'shuttleConvey',
  'shuttleConveyEdited',
  'shuttleConveyAsMediator',
  'shuttleHold',
  'shuttleDecline',
  'shuttleRelease',
];
const DECISIONS: Partial<Record<StatusRow, object>> = {
  shuttleConvey: { decision: 'convey', mode: 'verbatim' },
  shuttleConveyEdited: { decision: 'convey', mode: 'edited', text: 'The harbour dues are open to discussion.' },
  shuttleConveyAsMediator: { decision: 'convey', mode: 'as_mediator', text: 'Could the dues be phased in?' },
  shuttleHold: { decision: 'hold' },
  shuttleDecline: { decision: 'decline', reason: 'Not now.' },
};
const transportsOf = (row: StatusRow): Transport[] =>
  row === 'connect' ? ['socket'] : row === 'shuttleRelease' ? ['scheduler'] : ['rest', 'socket'];

interface Fixture {
  session: SessionView;
  /** Party A's member, seated in caucus A while the session is open. */
  a: Person;
  /** Party B's member, in the lobby: the one a mediator tries to seat. */
  b: Person;
  sockets: { lead: TestClient; a: TestClient; b: TestClient };
  /** Messages in the mediators' queue, one per decision row and transport. */
  pending: Partial<Record<StatusRow, Record<'rest' | 'socket', string>>>;
  /** Messages still cooling off: to withdraw (per transport), and one to release. */
  cooling: { rest: string; socket: string; release: string };
}

let app: TestApp;
let lead: Person;
const fixtures = {} as Record<Status, Fixture>;
const extraSockets: TestClient[] = [];
let n = 0;

const outcomeOf = (res: { status: number; body: any }): Outcome => (res.status < 300 ? 'allow' : res.body.code);
const ackOutcome = (ack: { ok: boolean; error?: { code: any } }): Outcome => (ack.ok ? 'allow' : ack.error!.code);

async function sessionIn(status: Status): Promise<Fixture> {
  const session = await createSession(app, lead, ['Party A', 'Party B']);
  const [partyA, partyB] = session.parties;
  const a = await inviteNew(app, lead, session.id, `A ${status}`, { role: 'party_member', partyId: partyA.id });
  const b = await inviteNew(app, lead, session.id, `B ${status}`, { role: 'party_member', partyId: partyB.id });
  const sockets = {
    lead: await TestClient.connect(app.url, lead.token),
    a: await TestClient.connect(app.url, a.token),
    b: await TestClient.connect(app.url, b.token),
  };
  for (const s of Object.values(sockets)) await s.join(session.id);
  const post = (who: Person, path: string, body: object) =>
    app.http().post(`/api/sessions/${session.id}${path}`).set(bearer(who)).send(body);
  const submit = async (text: string) =>
    (await post(a, '/shuttle', { text, label: 'conveyable', conveyToPartyId: partyB.id, clientMessageId: `fixture-${++n}` }).expect(201))
      .body as ShuttleMessageView;
  const fixture: Fixture = { session, a, b, sockets, pending: {}, cooling: { rest: '', socket: '', release: '' } };
  if (status === 'draft') return fixture;

  await post(lead, '/status', { status: 'open' }).expect(200);
  await post(lead, `/participants/${a.participantId}/admit`, { roomId: partyA.caucusRoomId! }).expect(200);
  for (const row of Object.keys(DECISIONS) as StatusRow[]) {
    fixture.pending[row] = { rest: (await submit(`${row} over REST`)).id, socket: (await submit(`${row} over the socket`)).id };
  }
  await app.http().patch(`/api/sessions/${session.id}`).set(bearer(lead)).send({ coolingOffSeconds: 3600 }).expect(200);
  for (const key of ['rest', 'socket', 'release'] as const) {
    const m = await submit(`cooling, ${key}`);
    expect(m.status).toBe('cooling');
    fixture.cooling[key] = m.id;
  }
  if (status !== 'open') await post(lead, '/status', { status }).expect(200);
  return fixture;
}

/** Does `row` over `transport` in the session of `f`; answers what the server answered. */
async function act(f: Fixture, row: StatusRow, transport: Transport): Promise<Outcome> {
  const sid = f.session.id;
  const http = (who: Person, path: string, body: object = {}) => app.http().post(`/api/sessions/${sid}${path}`).set(bearer(who)).send(body);
  const ask = async (socket: TestClient, event: string, payload: object) => ackOutcome(await socket.ask(event, payload));
  const rest = transport === 'rest';
  const key = () => `${row}-${transport}-${++n}`;
  switch (row) {
    case 'configure':
      return rest
        ? outcomeOf(await http(lead, '/parties', { name: `Party ${++n}` }))
        : ask(f.sockets.lead, 'invitation.create', { role: 'observer' });
    case 'connect': {
      const late = await TestClient.connect(app.url, f.b.token);
      extraSockets.push(late);
      return ask(late, 'session.join', { sessionId: sid });
    }
    case 'seatParties': {
      const roomId = roomOf(f.session, 'plenary').id;
      const got = rest
        ? outcomeOf(await http(lead, `/participants/${f.b.participantId}/admit`, { roomId }))
        : await ask(f.sockets.lead, 'participant.admit', { participantId: f.b.participantId, roomId });
      if (got === 'allow') await http(lead, `/participants/${f.b.participantId}/lobby`).expect(200); // for the next transport
      return got;
    }
    case 'mediatorPost': {
      const roomId = roomOf(f.session, 'mediator').id;
      const body = { text: 'Among ourselves.', clientMessageId: key() };
      return rest ? outcomeOf(await http(lead, `/rooms/${roomId}/messages`, body)) : ask(f.sockets.lead, 'chat.post', { roomId, ...body });
    }
    case 'partyPost': {
      const roomId = f.session.parties[0].caucusRoomId!;
      const body = { text: 'Within the delegation.', clientMessageId: key() };
      return rest ? outcomeOf(await http(f.a, `/rooms/${roomId}/messages`, body)) : ask(f.sockets.a, 'chat.post', { roomId, ...body });
    }
    case 'shuttleSubmit': {
      const body = { text: 'To the mediator.', label: 'mediator_only', clientMessageId: key() };
      return rest ? outcomeOf(await http(f.a, '/shuttle', body)) : ask(f.sockets.a, 'shuttle.submit', body);
    }
    case 'shuttleWithdraw': {
      const messageId = f.cooling[rest ? 'rest' : 'socket'];
      return rest ? outcomeOf(await http(f.a, `/shuttle/${messageId}/withdraw`)) : ask(f.sockets.a, 'shuttle.withdraw', { messageId });
    }
    case 'shuttleRelease':
      return release(f);
    case 'shuttleConvey':
    case 'shuttleConveyEdited':
    case 'shuttleConveyAsMediator':
    case 'shuttleHold':
    case 'shuttleDecline': {
      const messageId = f.pending[row]![rest ? 'rest' : 'socket'];
      return rest
        ? outcomeOf(await http(lead, `/shuttle/${messageId}/decide`, DECISIONS[row]))
        : ask(f.sockets.lead, 'shuttle.decide', { messageId, ...DECISIONS[row] });
    }
  }
}

/**
 * Its cooling-off over (moved into the past rather than waited for), the message is handed to the
 * scheduler. Released: it is pending and in the mediators' queue. Refused: still cooling, seen by
 * its delegation only.
 */
async function release(f: Fixture): Promise<Outcome> {
  const id = f.cooling.release;
  await app.app.get(DataSource).query(`UPDATE shuttle_messages SET release_at = now() - interval '1 second' WHERE id = $1`, [id]);
  await app.app.get(CoolingOffScheduler).releaseDue();
  const mine = (await app.http().get(`/api/sessions/${f.session.id}/shuttle`).set(bearer(f.a)).expect(200)).body as ShuttleMessageView[];
  const queue = (await app.http().get(`/api/sessions/${f.session.id}/shuttle?status=pending`).set(bearer(lead)).expect(200))
    .body as ShuttleMessageView[];
  const status = mine.find((m) => m.id === id)!.status;
  const queued = queue.some((m) => m.id === id);
  if (status === 'pending' && queued) return 'allow';
  if (status === 'cooling' && !queued)
    return f.session.status === 'closed' ? 'SESSION_CLOSED' : (`refused while ${f.session.status}` as Outcome);
  throw new Error(`released halfway: status ${status}, queued ${queued}`);
}

beforeAll(async () => {
  app = await startApp();
  lead = await register(app, 'Lead Mediator');
  for (const status of STATUSES) {
    fixtures[status] = await sessionIn(status);
    fixtures[status].session.status = status;
  }
});

afterAll(async () => {
  for (const f of Object.values(fixtures)) Object.values(f.sockets).forEach((s) => s.close());
  extraSockets.forEach((s) => s.close());
  await app.close();
});

const cases = STATUSES.flatMap((status) =>
  STATUS_ROWS.filter((row) => status !== 'draft' || !NEEDS_A_MESSAGE.includes(row)).flatMap((row) =>
    transportsOf(row).map((transport) => [status, row, transport, STATUS_TABLE[row][status]] as const),
  ),
);

describe('status table', () => {
  it.each(cases)('in a %s session, %s over %s: %s', async (status, row, transport, expected) => {
    expect(await act(fixtures[status], row, transport)).toBe(expected);
  });

  it('changes nothing in a closed session: every action refused again, no message moved, no audit entry', async () => {
    const f = fixtures.closed;
    const trail = async () => (await app.http().get(`/api/sessions/${f.session.id}/audit`).set(bearer(lead)).expect(200)).body;
    const before = await trail();
    for (const row of STATUS_ROWS) for (const transport of transportsOf(row)) expect(await act(f, row, transport)).toBe('SESSION_CLOSED');
    const after = await trail();
    expect(after.verification.valid).toBe(true);
    expect(after.entries.length).toBe(before.entries.length);
    const mine = (await app.http().get(`/api/sessions/${f.session.id}/shuttle`).set(bearer(f.a)).expect(200)).body as ShuttleMessageView[];
    const statusOf = (id: string) => mine.find((m) => m.id === id)?.status;
    expect(
      Object.values(f.pending)
        .flatMap((p) => [p.rest, p.socket])
        .map(statusOf),
    ).toEqual(Array(10).fill('pending'));
    expect(Object.values(f.cooling).map(statusOf)).toEqual(['cooling', 'cooling', 'cooling']);
  });
});
