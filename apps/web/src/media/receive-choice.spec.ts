import { NO_CHOICE, parseReceiveChoice } from './receive-choice';

describe('parseReceiveChoice: what a stored entry reads back as', () => {
  it.each([
    ['{"audioOnly":true,"lowVideo":false}', { audioOnly: true, lowVideo: false }],
    ['{"audioOnly":false,"lowVideo":true}', { audioOnly: false, lowVideo: true }],
    ['{"audioOnly":true,"lowVideo":true}', { audioOnly: true, lowVideo: true }],
  ])('%s', (raw, expected) => {
    expect(parseReceiveChoice(raw)).toEqual(expected);
  });

  it.each([null, '', 'audio-only', '{', 'null', '[]', '{"audioOnly":"yes","lowVideo":1}', '{"lowVideo":"true"}'])(
    'reads %j as no choice (only true booleans count)',
    (raw) => {
      expect(parseReceiveChoice(raw)).toEqual(NO_CHOICE);
    },
  );
});
