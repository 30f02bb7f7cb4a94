import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { errorSentence } from '../i18n/errors';
import { useI18n } from '../i18n/i18n';
import type { MediaEngine } from '../media/media-engine';
import { mediaText } from '../media/media.messages';
import { InterpreterControls } from './interpreter-controls';
import { ListenPicker } from './listen-picker';
import type { SessionState } from '../state/session-state';
import '../media/media.css';

/** The one word that describes the active speaker's tile (hidden: read only as the tile's description). */
const SPEAKING_ID = 'media-speaking';

/** A microphone or a camera, struck through: the marks on a tile (their text is the wrapper's label). */
function MarkIcon({ what }: { what: 'mic' | 'camera' }) {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      {what === 'mic' ? (
        <path
          d="M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM6 11a6 6 0 0 0 12 0M12 17v4"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        />
      ) : (
        <path d="M3 7h12v10H3zM15 10l6-3v10l-6-3" fill="none" stroke="currentColor" strokeWidth="2" />
      )}
      <path d="M3 3l18 18" stroke="currentColor" strokeWidth="2.5" />
    </svg>
  );
}

interface TileMarks {
  micOff: boolean;
  cameraOff: boolean;
}

function Video({
  tileKey,
  participantId,
  stream,
  muted,
  label,
  hasVideo,
  speaking,
  screen,
  marks,
  enlarged,
  onEnlarge,
}: {
  tileKey: string;
  participantId: string;
  stream: MediaStream;
  muted: boolean;
  label: string;
  hasVideo: boolean;
  speaking: boolean;
  screen: boolean;
  marks: TileMarks;
  enlarged: boolean;
  onEnlarge: (key: string) => void;
}) {
  const { locale } = useI18n();
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  const classes = ['tile', speaking ? 'speaking' : '', screen ? 'screen' : '', enlarged ? 'enlarged' : ''].filter(Boolean).join(' ');
  // The active speaker: outlined, and described so ("speaking"), its name and caption unchanged.
  return (
    <figure
      className={classes}
      data-testid="video-tile"
      data-tile={tileKey}
      data-participant={participantId}
      data-screen={screen ? 'true' : undefined}
      data-enlarged={enlarged ? 'true' : undefined}
      data-speaking={speaking ? 'true' : undefined}
    >
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
      <figcaption>
        {label}
        {(marks.micOff || marks.cameraOff) && (
          <span className="marks">
            {marks.micOff && (
              <span className="mark" role="img" aria-label={mediaText(locale, 'media.micOffMark')} data-testid="mark-mic-off">
                <MarkIcon what="mic" />
              </span>
            )}
            {marks.cameraOff && (
              <span className="mark" role="img" aria-label={mediaText(locale, 'media.cameraOffMark')} data-testid="mark-camera-off">
                <MarkIcon what="camera" />
              </span>
            )}
          </span>
        )}
      </figcaption>
      <button
        type="button"
        className="enlarge"
        aria-pressed={enlarged}
        aria-label={mediaText(locale, 'media.enlarge', { name: label })}
        data-testid="tile-enlarge"
        onClick={() => onEnlarge(tileKey)}
      >
        <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
          <path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" fill="none" stroke="currentColor" strokeWidth="2" />
        </svg>
      </button>
    </figure>
  );
}

/**
 * Which tile is enlarged: the one chosen (its button again makes it small), and a screen share
 * the moment it appears. A tile that goes takes its enlargement with it.
 */
function useEnlarged(keys: string[], screens: string[]): [string | null, (key: string) => void] {
  const [chosen, setChosen] = useState<string | null>(null);
  const seen = useRef(new Set<string>());
  const screensKey = screens.join(',');
  useEffect(() => {
    const now = new Set(screensKey ? screensKey.split(',') : []);
    const fresh = [...now].filter((k) => !seen.current.has(k));
    seen.current = now;
    if (fresh.length) setChosen(fresh[fresh.length - 1]);
  }, [screensKey]);
  const enlarged = chosen !== null && keys.includes(chosen) ? chosen : null;
  return [enlarged, (key: string) => setChosen(enlarged === key ? null : key)];
}

/**
 * Video tiles of the room one is in, with microphone, camera and the low-bandwidth (audio only)
 * switch, and a connection hint. When the platform has no SFU it says so plainly.
 */
export function MediaPanel({ media, state }: { media: MediaEngine; state: SessionState }) {
  const { t, locale } = useI18n();
  const m = useSyncExternalStore(media.subscribe, media.snapshot);
  // The room's sound plays through the listening choice's gains (Web Audio) once the browser lets it: the tiles stay silent then.
  const routed = useSyncExternalStore(media.listening.subscribe, () => media.listening.state.routed);
  // An interpreter publishes their microphone into a channel only: no camera, no screen.
  const interpreting = state.me.role === 'interpreter';
  const names = new Map<string, string>();
  for (const list of Object.values(state.occupants)) for (const o of list) names.set(o.participantId, o.displayName);
  for (const r of state.overview?.rooms ?? []) for (const o of r.occupants) names.set(o.participantId, o.displayName);
  const live = m.phase === 'live';
  const showSelf = Boolean(m.local && m.mayPublish && live);
  const showOwnScreen = Boolean(m.screen && m.mayPublish && live);
  const keys = [...(showSelf ? ['me'] : []), ...(showOwnScreen ? ['me:screen'] : []), ...m.tiles.map((tile) => tile.key)];
  const [enlarged, enlarge] = useEnlarged(
    keys,
    m.tiles.filter((tile) => tile.screen).map((tile) => tile.key),
  );
  const marksOf = (participantId: string): TileMarks => {
    const feed = m.feeds.find((f) => f.participantId === participantId);
    return { micOff: feed ? !feed.micOn : false, cameraOff: feed ? !feed.cameraOn : false };
  };
  const nameOf = (participantId: string) => names.get(participantId) ?? t('media.someone');
  const canShare =
    m.mayPublish &&
    !interpreting &&
    live &&
    !m.audioOnly &&
    !m.uplinkThin &&
    typeof navigator !== 'undefined' &&
    'getDisplayMedia' in (navigator.mediaDevices ?? {});

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
    <section
      className="card media"
      aria-labelledby="media-title"
      data-sfu={m.sfu ?? undefined}
      data-receive={m.audioOnly ? 'audio-only' : 'video'}
      data-video-layer={m.videoLayer}
    >
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
      <div className={enlarged ? 'tiles has-enlarged' : 'tiles'}>
        {showSelf && m.local && (
          <Video
            tileKey="me"
            participantId={state.me.id}
            stream={m.local}
            muted
            label={t('media.you')}
            hasVideo={!m.audioOnly && !interpreting && m.cameraOn}
            speaking={m.speaking !== null && m.speaking === state.me.id}
            screen={false}
            marks={{ micOff: !m.micOn, cameraOff: (!m.cameraOn || m.uplinkThin) && !m.audioOnly }}
            enlarged={enlarged === 'me'}
            onEnlarge={enlarge}
          />
        )}
        {showOwnScreen && m.screen && (
          <Video
            tileKey="me:screen"
            participantId={state.me.id}
            stream={m.screen}
            muted
            label={mediaText(locale, 'media.yourScreen')}
            hasVideo
            speaking={false}
            screen
            marks={{ micOff: false, cameraOff: false }}
            enlarged={enlarged === 'me:screen'}
            onEnlarge={enlarge}
          />
        )}
        {m.tiles.map((tile) => {
          // A screen has no marks; a camera marked off shows no (frozen) picture.
          const marks = tile.screen ? { micOff: false, cameraOff: false } : marksOf(tile.participantId);
          return (
            <Video
              key={tile.key}
              tileKey={tile.key}
              participantId={tile.participantId}
              stream={tile.stream}
              muted={tile.screen || routed}
              label={tile.screen ? mediaText(locale, 'media.screenOf', { name: nameOf(tile.participantId) }) : nameOf(tile.participantId)}
              hasVideo={tile.hasVideo && !marks.cameraOff}
              speaking={!tile.screen && m.speaking === tile.participantId}
              screen={tile.screen}
              marks={marks}
              enlarged={enlarged === tile.key}
              onEnlarge={enlarge}
            />
          );
        })}
      </div>
      {m.lowBandwidth && (
        <div className="row notice" role="status" data-testid="low-bandwidth-notice" data-by={m.lowBandwidthBy ?? undefined}>
          <p>{mediaText(locale, 'media.lowBandwidth')}</p>
          <button type="button" data-testid="low-bandwidth-undo" onClick={() => void media.undoLowBandwidth()}>
            {mediaText(locale, 'media.lowBandwidthUndo')}
          </button>
        </div>
      )}
      {m.uplinkThin && (
        <div className="row notice" role="status" data-testid="uplink-thin-notice">
          <p>{mediaText(locale, 'media.uplinkThin')}</p>
          <button type="button" data-testid="uplink-thin-undo" onClick={() => void media.sendVideoAgain()}>
            {mediaText(locale, 'media.uplinkThinUndo')}
          </button>
        </div>
      )}
      {m.shareFailed && !m.screen && (
        <p className="notice" role="status" data-testid="share-failed">
          {mediaText(locale, 'media.shareFailed')}
        </p>
      )}
      <div className="row controls">
        {m.mayPublish && (
          <>
            <button type="button" aria-pressed={!m.micOn} onClick={() => media.toggleMic()}>
              {m.micOn ? t('media.mute') : t('media.unmute')}
            </button>
            {!interpreting && (
              <button type="button" aria-pressed={!m.cameraOn} disabled={m.audioOnly} onClick={() => media.toggleCamera()}>
                {m.cameraOn ? t('media.cameraOff') : t('media.cameraOn')}
              </button>
            )}
            {(canShare || m.screen) && (
              <button type="button" data-testid="share-screen" onClick={() => void (m.screen ? media.stopScreen() : media.shareScreen())}>
                {m.screen ? mediaText(locale, 'media.stopSharing') : mediaText(locale, 'media.shareScreen')}
              </button>
            )}
          </>
        )}
        <label className="inline">
          <input type="checkbox" checked={m.audioOnly} onChange={(e) => void media.setAudioOnly(e.target.checked)} /> {t('media.audioOnly')}
        </label>
        {!m.audioOnly && (
          <label className="inline">
            <input
              type="checkbox"
              data-testid="low-video"
              checked={m.videoLayer === 'low'}
              onChange={(e) => void media.setLowVideo(e.target.checked)}
            />{' '}
            {mediaText(locale, 'media.lowVideo')}
          </label>
        )}
      </div>
      {m.videoLayerBy === 'page' && !m.audioOnly && (
        <p className="notice" role="status" data-testid="low-video-notice">
          {mediaText(locale, 'media.lowVideoByPage')}
        </p>
      )}
      {interpreting && <InterpreterControls media={media} state={state} />}
      <ListenPicker media={media} />
    </section>
  );
}
