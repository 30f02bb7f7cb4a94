import { useId, useSyncExternalStore } from 'react';
import { useI18n } from '../i18n/i18n';
import { interpretationText, languageName } from '../media/interpretation.messages';
import type { MediaEngine } from '../media/media-engine';

/**
 * What one hears in the room: the floor, or one of the interpretation channels live there (the
 * floor stays underneath, quieter; alone when the page receives audio only, and it says so).
 * Remembered per room; a channel that ends falls back to the floor, and the page says so. Everyone
 * has it, observers and interpreters (a relay) included.
 */
export function ListenPicker({ media }: { media: MediaEngine }) {
  const { locale } = useI18n();
  const id = useId();
  const l = useSyncExternalStore(media.listening.subscribe, media.listening.snapshot);
  if (!l.roomId) return null;
  return (
    <div className="listen" data-heard={l.heard ?? ''} data-routed={l.routed ? 'true' : undefined}>
      <label htmlFor={id}>{interpretationText(locale, 'listen.label')}</label>{' '}
      <select id={id} data-testid="listen-picker" value={l.heard ?? ''} onChange={(e) => media.listening.choose(e.target.value || null)}>
        <option value="">{interpretationText(locale, 'listen.floor')}</option>
        {l.channels.map((c) => (
          <option key={c} value={c} lang={c}>
            {languageName(locale, c)}
          </option>
        ))}
      </select>
      {l.alone && l.heard && (
        <p className="muted" role="status" data-testid="listen-alone-notice">
          {interpretationText(locale, 'listen.alone', { language: languageName(locale, l.heard) })}
        </p>
      )}
      {l.lost && (
        <p className="notice" role="status" data-testid="listen-fallback-notice">
          {interpretationText(locale, 'listen.fallback', { language: languageName(locale, l.lost) })}
        </p>
      )}
    </div>
  );
}
