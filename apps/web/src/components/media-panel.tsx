import { useEffect, useRef, useSyncExternalStore } from 'react';
import { errorSentence } from '../i18n/errors';
import { useI18n } from '../i18n/i18n';
import type { MediaEngine } from '../media/media-engine';
import { mediaText } from '../media/media.messages';
import type { SessionState } from '../state/session-state';
import '../media/media.css';

/** The one word that describes the active speaker's tile (hidden: read only as the tile's description). */
const SPEAKING_ID = 'media-speaking';

function Video({
  stream,
  muted,
  label,
  hasVideo,
  speaking,
}: {
  stream: MediaStream;
  muted: boolean;
  label: string;
  hasVideo: boolean;
  speaking: boolean;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  // The active speaker: outlined, and described so ("speaking"), its name and caption unchanged.
  return (
    <figure className={speaking ? 'tile speaking' : 'tile'} data-testid="video-tile" data-speaking={speaking ? 'true' : undefined}>
      {/* Captions do not exist for live negotiation audio; the tile is labelled by who it shows. */}
      {/* eslint-disable-next-line jsx-a11y/media-has-caption */}
      <video
        ref={ref}
        autoPlay
        playsInline
        muted={muted}
        aria-label={label}
        aria-describedby={speaking ? SPEAKING_ID : undefined}
        className={hasVideo ? '' : 'audio-only'}
      />
      <figcaption>{label}</figcaption>
    </figure>
  );
}

/**
 * Video tiles of the room one is in, with microphone, camera and the low-bandwidth (audio only)
 * switch, and a connection hint. When the platform has no SFU it says so plainly.
 */
export function MediaPanel({ media, state }: { media: MediaEngine; state: SessionState }) {
  const { t, locale } = useI18n();
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
    <section className="card media" aria-labelledby="media-title" data-sfu={m.sfu ?? undefined}>
      <div className="row">
        {/* Which SFU carries the video, for whoever asks (a hover, a support call): it decides nothing. */}
        <h3 id="media-title" title={m.sfu ? mediaText(locale, 'media.engine', { engine: m.sfu }) : undefined}>
          {t('media.title')}
        </h3>
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
            {t('media.failed')}{' '}
            {m.failure?.connection ? mediaText(locale, 'media.connectionFailed') : m.failure ? errorSentence(t, m.failure) : ''}
            {m.retryAt ? ` ${t('media.retrying')}` : ''}
          </p>
          <button type="button" onClick={() => media.retryNow()}>
            {t('media.retry')}
          </button>
        </div>
      )}
      {m.phase === 'idle' && !state.me.roomId && <p className="muted">{t('media.noRoom')}</p>}
      <span id={SPEAKING_ID} hidden>
        {mediaText(locale, 'media.speaking')}
      </span>
      <div className="tiles">
        {m.local && m.mayPublish && m.phase === 'live' && (
          <Video
            stream={m.local}
            muted
            label={t('media.you')}
            hasVideo={!m.audioOnly && m.cameraOn}
            speaking={m.speaking !== null && m.speaking === state.me.id}
          />
        )}
        {m.tiles.map((tile) => (
          <Video
            key={tile.participantId}
            stream={tile.stream}
            muted={false}
            label={names.get(tile.participantId) ?? t('media.someone')}
            hasVideo={tile.hasVideo}
            speaking={m.speaking === tile.participantId}
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
