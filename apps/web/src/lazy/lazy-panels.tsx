import { lazy, Suspense } from 'react';
import type { DraftScope } from '@parley/contracts';
import { useI18n } from '../i18n/i18n';
import type { MediaEngine } from '../media/media-engine';
import type { SessionController } from '../state/session-controller';
import type { SessionState } from '../state/session-state';

/*
 * The two heavy parts of a session page load only when shown, each in its own chunk: the media
 * panel (its engine is imported by the session page on its own, see media-loader.ts) and the live
 * draft (Yjs, y-protocols, the clause editor). A delegate on a 64 kbit/s link sees the room's chat
 * and text first; the video and the draft follow when their code arrives.
 */
const LazyMediaPanel = lazy(() => import('../components/media-panel').then((m) => ({ default: m.MediaPanel })));
const LazyDraftPanel = lazy(() => import('../components/draft-panel').then((m) => ({ default: m.DraftPanel })));

/** What stands in for a panel whose code is still on its way. */
function Loading({ testId }: { testId: string }) {
  const { t } = useI18n();
  return (
    <section className="card" aria-busy="true" data-testid={testId}>
      <p className="muted" role="status">
        {t('app.loading')}
      </p>
    </section>
  );
}

/** The media panel, once the engine (null while its chunk loads) and the panel's own code are here. */
export function MediaPanel({ media, state }: { media: MediaEngine | null; state: SessionState }) {
  if (!media) return <Loading testId="media-loading" />;
  return (
    <Suspense fallback={<Loading testId="media-loading" />}>
      <LazyMediaPanel media={media} state={state} />
    </Suspense>
  );
}

/** The live draft (delegation caucus or mediators'), loaded the first time its tab is opened. */
export function DraftPanel(props: { ctl: SessionController; state: SessionState; scope: DraftScope }) {
  return (
    <Suspense fallback={<Loading testId="draft-loading" />}>
      <LazyDraftPanel {...props} />
    </Suspense>
  );
}
