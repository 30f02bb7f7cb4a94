import { CLIENT_EVENTS, DEPRECATED_CLIENT_EVENTS, SERVER_EVENTS, currentClientEvent } from './socket';

/** One scheme for every event name: `noun.verb`, lower case, several words in kebab-case. */
const SCHEME = /^[a-z]+(-[a-z]+)*\.[a-z]+(-[a-z]+)*$/;

describe('socket event names', () => {
  it.each([...CLIENT_EVENTS, ...SERVER_EVENTS])('%s follows noun.verb in kebab-case', (name) => {
    expect(name).toMatch(SCHEME);
  });

  it('lists each client event once', () => {
    expect(new Set(CLIENT_EVENTS).size).toBe(CLIENT_EVENTS.length);
  });

  it.each(Object.entries(DEPRECATED_CLIENT_EVENTS))('maps the deprecated %s to %s, an event that exists', (old, name) => {
    expect(old).not.toMatch(SCHEME);
    expect(CLIENT_EVENTS).toContain(name);
    expect(currentClientEvent(old)).toBe(name);
  });

  it('leaves current and unknown names as they are', () => {
    expect(currentClientEvent('chat.post')).toBe('chat.post');
    expect(currentClientEvent('toString')).toBe('toString');
  });
});
