import { subscribedStreams } from './janus.adapter';

describe('subscribedStreams: which feed and kind each m-line of a subscription carries', () => {
  it('keeps audio and video m-lines with their feed, as strings', () => {
    expect(
      subscribedStreams([
        { type: 'audio', mindex: 0, mid: '0', feed_id: 17, feed_mid: '0' },
        { type: 'video', mindex: 1, mid: '1', feed_id: 17, feed_mid: '1' },
        { type: 'video', mindex: 2, mid: '2', feed_id: 23, feed_mid: '1' },
      ]),
    ).toEqual([
      { mid: '0', feedId: '17', kind: 'audio' },
      { mid: '1', feedId: '17', kind: 'video' },
      { mid: '2', feedId: '23', kind: 'video' },
    ]);
  });

  it("names the screen: the video m-line its publisher described as 'screen', told by Janus or by the publisher's streams", () => {
    const published = new Map([
      [
        17,
        [
          { type: 'video' as const, mindex: 1, mid: '1', description: 'video' },
          { type: 'video' as const, mindex: 2, mid: '2', description: 'screen' },
        ],
      ],
    ]);
    expect(
      subscribedStreams(
        [
          { type: 'video', mindex: 0, mid: '0', feed_id: 17, feed_mid: '1' },
          { type: 'video', mindex: 1, mid: '1', feed_id: 17, feed_mid: '2' },
          { type: 'video', mindex: 2, mid: '2', feed_id: 23, feed_mid: '1', feed_description: 'screen' },
        ],
        published,
      ).map((s) => s.screen ?? false),
    ).toEqual([false, true, true]);
  });

  it('drops data channels and m-lines without a feed, and answers [] when Janus sent none', () => {
    expect(
      subscribedStreams([
        { type: 'data', mindex: 0, mid: '0' },
        { type: 'video', mindex: 1, mid: '1' },
      ]),
    ).toEqual([]);
    expect(subscribedStreams(undefined)).toEqual([]);
  });
});
