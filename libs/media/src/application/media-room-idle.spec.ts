import { mediaRoomIdleMs } from './media-room-idle';

describe('MEDIA_ROOM_IDLE_SECONDS', () => {
  it('defaults to 300 s when unset or empty', () => {
    expect(mediaRoomIdleMs({})).toBe(300_000);
    expect(mediaRoomIdleMs({ MEDIA_ROOM_IDLE_SECONDS: ' ' })).toBe(300_000);
  });

  it('takes whole seconds from 1 to 86400', () => {
    expect(mediaRoomIdleMs({ MEDIA_ROOM_IDLE_SECONDS: '1' })).toBe(1_000);
    expect(mediaRoomIdleMs({ MEDIA_ROOM_IDLE_SECONDS: '86400' })).toBe(86_400_000);
  });

  it.each(['0', '-5', '1.5', '86401', 'five', '1e3'])('refuses %s, naming the variable', (value) => {
    expect(() => mediaRoomIdleMs({ MEDIA_ROOM_IDLE_SECONDS: value })).toThrow(/MEDIA_ROOM_IDLE_SECONDS/);
  });
});
