import { useId, useState, useSyncExternalStore } from 'react';
import { errorSentence } from '../i18n/errors';
import { useI18n } from '../i18n/i18n';
import { ApiFailure } from '../lib/api';
import { turnOf } from '../media/interpretation';
import { interpretationText, languageName } from '../media/interpretation.messages';
import type { MediaEngine } from '../media/media-engine';
import type { SessionState } from '../state/session-state';

/**
 * An interpreter's booth: the language they interpret into (one of their pair; their microphone
 * goes out on that channel, never a camera), whether listeners hear them now ("live") or a
 * colleague on the same channel does ("standby"), and "Take over" to take the turn from them.
 */
export function InterpreterControls({ media, state }: { media: MediaEngine; state: SessionState }) {
  const { t, locale } = useI18n();
  const id = useId();
  const m = useSyncExternalStore(media.subscribe, media.snapshot);
  const [failure, setFailure] = useState<{ code: string; field?: string } | null>(null);
  const pair = state.me.languages ?? [];
  if (state.me.role !== 'interpreter' || !m.mayPublish || !m.roomId) return null;
  const { turn, takeable } = turnOf(m.ownFeed, m.feeds, m.channel);
  const act = (p: Promise<void>) => {
    setFailure(null);
    p.catch((e: unknown) => setFailure(ApiFailure.of(e)));
  };
  return (
    <div className="row interpret" data-turn={turn}>
      <label htmlFor={id}>{interpretationText(locale, 'interpret.label')}</label>
      <select
        id={id}
        data-testid="interpret-channel"
        value={m.channel ?? ''}
        onChange={(e) => act(media.setChannel(e.target.value || null))}
      >
        <option value="">{interpretationText(locale, 'interpret.off')}</option>
        {pair.map((c) => (
          <option key={c} value={c} lang={c}>
            {languageName(locale, c)}
          </option>
        ))}
      </select>
      {turn !== 'off' && (
        <span className={`badge turn-${turn}`} role="status" data-testid="interpret-turn">
          {interpretationText(locale, turn === 'live' ? 'interpret.live' : 'interpret.standby')}
        </span>
      )}
      {takeable && (
        <button type="button" data-testid="take-channel" onClick={() => act(media.takeChannel())}>
          {interpretationText(locale, 'interpret.take')}
        </button>
      )}
      {failure && (
        <p className="error" role="alert">
          {interpretationText(locale, 'interpret.failed')} {errorSentence(t, failure)}
        </p>
      )}
    </div>
  );
}
