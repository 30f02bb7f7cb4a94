import { useEffect, useRef, useSyncExternalStore } from 'react';
import { errorSentence } from '../i18n/errors';
import { useI18n } from '../i18n/i18n';
import type { MediaEngine } from '../media/media-engine';
import type { SessionState } from '../state/session-state';

function Video({ stream, muted, label, hasVideo }: { stream: MediaStream; muted: boolean; label: string; hasVideo: boolean }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  return (
    <figure className="tile" data-testid="video-tile">
      {/* Captions do not exist for live negotiation audio; the tile is labelled by who it shows. */}
      {/* eslint-disable-next-line jsx-a11y/media-has-caption */}
      <video ref={ref} autoPlay playsInline muted={muted} aria-label={label} className={hasVideo ? '' : 'audio-only'} />
      <figcaption>{label}</figcaption>
    </figure>
  );
}

/**
 * Video tiles of the room one is in, with microphone, camera and the low-bandwidth (audio only)
 * switch, and a connection hint. When the platform has no SFU it says so plainly.
 */
export function MediaPanel({ media, state }: { media: MediaEngine; state: SessionState }) {
  const { t } = useI18n();
  const m = useSyncExternalStore(media.subscribe, media.snapshot);
  const names = new Map<string, string>();
  for (const list of Object.values(state.occupants)) for (const o of list) names.set(o.participantId, o.displayName);
  for (const r of state.overview?.rooms ?? []) for (const o of r.occupants) names.set(o.participantId, o.displayName);

  if (m.phase === 'unavailable') {
    return (
      <section className="card media" aria-labelledby="media-title">
        <h3 id="media-title">{t('media.title')}</h3>
        <p className="notice" role="status" data-testid="media-unavailable">
          {t('media.unavailable')}
        </p>
      </section>
    );
  }
  if (m.phase === 'paused') {
    return (
      <section className="card media" aria-labelledby="media-title">
        <h3 id="media-title">{t('media.title')}</h3>
        <p className="notice" role="status" data-testid="media-paused">
          {t('media.paused')}
        </p>
      </section>
    );
  }
  return (
    <section className="card media" aria-labelledby="media-title">
      <div className="row">
        <h3 id="media-title">{t('media.title')}</h3>
        {/* The hint speaks of the video's path only while the page is connected: never "good" with the server gone. */}
        {m.quality && state.connection === 'online' && (
          <span className={`badge quality-${m.quality}`} role="status" data-testid="quality">
            {t(`media.quality.${m.quality}`)}
          </span>
        )}
        {m.phase === 'joining' && (
          <span className="muted" role="status">
            {t('media.joining')}
          </span>
        )}
      </div>
      {m.phase === 'failed' && (
        <div className="row" data-testid="media-failed">
          <p className={m.retryAt ? 'notice' : 'error'} role={m.retryAt ? 'status' : 'alert'}>
            {t('media.failed')} {m.failure ? errorSentence(t, m.failure) : ''}
            {m.retryAt ? ` ${t('media.retrying')}` : ''}
          </p>
          <button type="button" onClick={() => media.retryNow()}>
            {t('media.retry')}
          </button>
        </div>
      )}
      {m.phase === 'idle' && !state.me.roomId && <p className="muted">{t('media.noRoom')}</p>}
      <div className="tiles">
        {m.local && m.mayPublish && m.phase === 'live' && (
          <Video stream={m.local} muted label={t('media.you')} hasVideo={!m.audioOnly && m.cameraOn} />
        )}
        {m.tiles.map((tile) => (
          <Video
            key={tile.participantId}
            stream={tile.stream}
            muted={false}
            label={names.get(tile.participantId) ?? t('media.someone')}
            hasVideo={tile.hasVideo}
          />
        ))}
      </div>
      <div className="row controls">
        {m.mayPublish && (
          <>
            <button type="button" aria-pressed={!m.micOn} onClick={() => media.toggleMic()}>
              {m.micOn ? t('media.mute') : t('media.unmute')}
            </button>
            <button type="button" aria-pressed={!m.cameraOn} disabled={m.audioOnly} onClick={() => media.toggleCamera()}>
              {m.cameraOn ? t('media.cameraOff') : t('media.cameraOn')}
            </button>
          </>
        )}
        <label className="inline">
          <input type="checkbox" checked={m.audioOnly} onChange={(e) => void media.setAudioOnly(e.target.checked)} /> {t('media.audioOnly')}
        </label>
      </div>
    </section>
  );
}
