import { createContext, lazy, Suspense, useContext, useState, type ComponentType } from 'react';
import type { DraftScope } from '@parley/contracts';
import { useI18n } from '../i18n/i18n';
import type { MediaEngine } from '../media/media-engine';
import type { SessionController } from '../state/session-controller';
import type { SessionState } from '../state/session-state';
import { ChunkBoundary, ChunkFailed } from './chunk-boundary';

/*
 * The two heavy parts of a session page load only when shown, each in its own chunk: the media
 * panel (its engine is imported by the session page on its own, see session-page.tsx) and the live
 * draft (Yjs, y-protocols, the clause editor); and the mediators' consultation panel. A delegate on a 64 kbit/s link sees the room's chat
 * and text first; the video and the draft follow when their code arrives. Code that does not arrive
 * costs that part alone, with *Try again* (chunk-boundary.tsx), never the page.
 */

/** A lazy part that can be fetched again: React.lazy keeps a rejected load for good, so a retry takes a fresh one. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- React.lazy's own bound
function retryable<T extends ComponentType<any>>(load: () => Promise<{ default: T }>) {
  let current = lazy(load);
  return {
    get: () => current,
    /** A fresh load, kept for the next mount too. */
    again: () => (current = lazy(load)),
  };
}

const mediaPanel = retryable(() => import('../components/media-panel').then((m) => ({ default: m.MediaPanel })));
const draftPanel = retryable(() => import('../components/draft-panel').then((m) => ({ default: m.DraftPanel })));
const consultationPanel = retryable(() => import('../consultation/consultation-panel').then((m) => ({ default: m.ConsultationPanel })));

/**
 * How the media engine's own chunk is doing (the session page loads it, see session-page.tsx):
 * failed, and how to fetch it again. Read by the media panel, which stands in for it.
 */
export const EngineLoad = createContext<{ failed: boolean; retry: () => void }>({ failed: false, retry: () => undefined });

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
  const engine = useContext(EngineLoad);
  const [Panel, setPanel] = useState(mediaPanel.get);
  if (!media) return engine.failed ? <ChunkFailed testId="media-failed" onRetry={engine.retry} /> : <Loading testId="media-loading" />;
  return (
    <ChunkBoundary testId="media-failed" onRetry={() => setPanel(mediaPanel.again)}>
      <Suspense fallback={<Loading testId="media-loading" />}>
        <Panel media={media} state={state} />
      </Suspense>
    </ChunkBoundary>
  );
}

/** The live draft (delegation caucus or mediators'), loaded the first time its tab is opened. */
export function DraftPanel(props: { ctl: SessionController; state: SessionState; scope: DraftScope }) {
  const [Panel, setPanel] = useState(draftPanel.get);
  return (
    <ChunkBoundary testId="draft-failed" onRetry={() => setPanel(draftPanel.again)}>
      <Suspense fallback={<Loading testId="draft-loading" />}>
        <Panel {...props} />
      </Suspense>
    </ChunkBoundary>
  );
}

/** The mediators' consultation panel (issue 19), loaded the first time its tab is opened. */
export function ConsultationPanel(props: { ctl: SessionController }) {
  const [Panel, setPanel] = useState(consultationPanel.get);
  return (
    <ChunkBoundary testId="consultation-failed" onRetry={() => setPanel(consultationPanel.again)}>
      <Suspense fallback={<Loading testId="consultation-loading" />}>
        <Panel {...props} />
      </Suspense>
    </ChunkBoundary>
  );
}
