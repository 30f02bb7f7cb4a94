import { TestClient } from './support/harness';
import { useMediation } from './support/mediation';
import { inviteNew } from './support/people';

/**
 * One live page per participant (the media seat is the participant's, not the socket's): the
 * newest `session.join` takes the session over and both sockets are told, over Socket.IO.
 */
describe('a second device for the same participant', () => {
  const { app, m } = useMediation();
  let first: TestClient;
  let second: TestClient;
  let other: TestClient;

  beforeAll(async () => {
    // useMediation's own socket for Ana counts as a device: it is the first one.
    first = m().client(m().a1);
    first.clear();
    other = m().client(m().a2);
    other.clear();
    second = await TestClient.connect(app().url, m().a1.token);
    await second.join(m().session.id);
    await Promise.all([first.sync(), other.sync()]);
  });
  afterAll(() => second?.close());

  it('tells the older socket that the session is open on another device', async () => {
    expect(await first.waitFor('session.replaced')).toEqual({ sessionId: m().session.id, here: false });
  });

  it('tells the joining socket that it took the session over', async () => {
    expect(await second.waitFor('session.replaced')).toEqual({ sessionId: m().session.id, here: true });
  });

  it('tells nobody else, and says nothing to a socket that is the only one of its participant', async () => {
    expect(other.events.filter((e) => e.event === 'session.replaced')).toEqual([]);
    const newcomer = await inviteNew(app(), m().mediator, m().session.id, 'Nia North', { role: 'party_member', partyId: m().partyA });
    const alone = await TestClient.connect(app().url, newcomer.token);
    await alone.join(m().session.id);
    await alone.sync();
    expect(alone.events.filter((e) => e.event === 'session.replaced')).toEqual([]);
    alone.close();
  });

  it('takes it back the same way ("Use here"): the second device is told in turn', async () => {
    second.clear();
    const back = await TestClient.connect(app().url, m().a1.token);
    await back.join(m().session.id);
    expect(await second.waitFor('session.replaced')).toEqual({ sessionId: m().session.id, here: false });
    back.close();
  });
});
