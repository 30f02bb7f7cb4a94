import type { MediaJoinView } from '@parley/contracts';
import { useMediation } from './support/mediation';

/**
 * Without an SFU (no JANUS_URL, no Janus started) the platform runs and says so: the status names
 * the reason, media requests get 503 MEDIA_UNAVAILABLE, and everything else works. The room media
 * settings are still the mediators' to set, and audited.
 */
describe('media without an SFU', () => {
  const { app, m } = useMediation();

  it('reports media as unavailable, with the reason', async () => {
    const res = await app().http().get('/api/media/status').expect(200);
    expect(res.body).toEqual({ available: false, reason: expect.stringContaining('JANUS_BINARY=none') });
  });

  it('answers media requests with 503 MEDIA_UNAVAILABLE, over the socket', async () => {
    const ack = await m().client(m().a1).ask<MediaJoinView>('media.join', {});
    expect(ack).toMatchObject({ ok: false, error: { code: 'MEDIA_UNAVAILABLE', message: expect.stringContaining('unavailable') } });
    const pub = await m()
      .client(m().a1)
      .ask('media.publish', { offerSdp: 'v=0 an offer', kinds: ['audio'] });
    expect(pub).toMatchObject({ ok: false, error: { code: 'MEDIA_UNAVAILABLE' } });
    expect(await m().client(m().a1).ask('media.layer', { layer: 'low' })).toMatchObject({
      ok: false,
      error: { code: 'MEDIA_UNAVAILABLE' },
    });
    expect(await m().client(m().a1).ask('media.leave', {})).toEqual({ ok: true, data: { left: true } });
  });

  it('lets mediators set a room to audio only with a bitrate cap, and no one else', async () => {
    const { mediator, a1, observer, caucusA, plenary } = m();
    const put = (who: typeof mediator, roomId: string, body: object) =>
      app()
        .http()
        .put(`/api/sessions/${m().session.id}/rooms/${roomId}/media`)
        .set({ Authorization: `Bearer ${who.token}` })
        .send(body);
    expect((await put(mediator, plenary, { audioOnly: true, bitrateKbps: 128 }).expect(200)).body).toEqual({
      roomId: plenary,
      audioOnly: true,
      bitrateKbps: 128,
    });
    expect((await put(a1, caucusA, { audioOnly: true }).expect(403)).body.code).toBe('MEDIATOR_ONLY');
    expect((await put(observer, plenary, { audioOnly: false }).expect(403)).body.code).toBe('MEDIATOR_ONLY');
    expect((await put(mediator, plenary, { audioOnly: 'yes' }).expect(400)).body.field).toBe('audioOnly');
    expect((await put(mediator, plenary, { audioOnly: false, bitrateKbps: 5 }).expect(400)).body.field).toBe('bitrateKbps');
    expect((await m().get(observer, `/rooms/${plenary}/media`).expect(200)).body).toEqual({
      roomId: plenary,
      audioOnly: true,
      bitrateKbps: 128,
    });
    const audit = (await m().get(mediator, '/audit').expect(200)).body.entries.filter((e: any) => e.type === 'media.room_settings_changed');
    expect(audit.map((e: any) => e.payload)).toEqual([{ roomId: plenary, audioOnly: true, bitrateKbps: 128 }]);
  });
});
