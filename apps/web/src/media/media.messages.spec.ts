import { mediaAr, mediaEn, mediaFr, mediaText } from './media.messages';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the media panel's sentences", () => {
  it.each([
    ['fr', mediaFr],
    ['ar', mediaAr],
  ] as const)('%s has every key of English, with the same placeholders, none empty', (_, cat) => {
    expect(Object.keys(cat).sort()).toEqual(Object.keys(mediaEn).sort());
    for (const key of Object.keys(mediaEn) as Array<keyof typeof mediaEn>) {
      expect({ key, p: placeholders(cat[key]) }).toEqual({ key, p: placeholders(mediaEn[key]) });
      expect(cat[key].trim()).not.toBe('');
    }
  });

  it('names the engine in the reader’s language, and never the words of another', () => {
    expect(mediaText('en', 'media.engine', { engine: 'mediasoup' })).toBe('Media server: mediasoup');
    expect(mediaText('fr', 'media.engine', { engine: 'janus' })).toBe('Serveur média : janus');
    expect(mediaText('ar', 'media.speaking')).toBe('يتحدث');
  });

  it('says a failed connection is the network path to the media server, not the server itself', () => {
    expect(mediaText('en', 'media.connectionFailed')).toMatch(/connection to the media server failed/);
    expect(mediaText('en', 'media.connectionFailed')).not.toMatch(/does not answer/);
  });
});
