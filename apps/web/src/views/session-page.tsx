import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { SessionView } from '@parley/contracts';
import { ErrorNote, Shell } from '../components/shell';
import { DeviceNotice } from '../components/device-notice';
import { BreakNotice } from '../components/break-notice';
import { ConnectionBadge } from '../components/connection-badge';
import { ConsoleNav } from '../console/console-nav';
import { StatusControls } from '../components/session-controls';
import { useI18n } from '../i18n/i18n';
import { api, ApiFailure } from '../lib/api';
import { EngineLoad } from '../lazy/lazy-panels';
import type { MediaEngine } from '../media/media-engine';
import { SessionController } from '../state/session-controller';
import { ClosedView } from './closed-view';
import { DelegationView } from './delegation-view';
import { InterpreterView } from './interpreter-view';
import { MediatorConsole } from './mediator-console';
import { ObserverView } from './observer-view';

/** One session: the REST view first (who am I here), then the live controller and media. */
export function SessionPage({ sessionId }: { sessionId: string }) {
  const { t } = useI18n();
  const [session, setSession] = useState<SessionView | null>(null);
  const [error, setError] = useState<ApiFailure | null>(null);
  useEffect(() => {
    api.session(sessionId).then(setSession, (e: unknown) => setError(ApiFailure.of(e)));
  }, [sessionId]);
  if (error)
    return (
      <Shell>
        <ErrorNote error={error} />
      </Shell>
    );
  if (!session)
    return (
      <Shell>
        <p className="muted" role="status">
          {t('app.loading')}
        </p>
      </Shell>
    );
  return <LiveSession session={session} />;
}

function LiveSession({ session }: { session: SessionView }) {
  const [ctl, setCtl] = useState<SessionController | null>(null);
  const [media, setMedia] = useState<MediaEngine | null>(null);
  const [engine, setEngine] = useState({ failed: false, attempt: 0 });
  useEffect(() => {
    // A socket has a lifetime: opened here, closed by the cleanup (a render must not open one).
    const c = new SessionController(session);
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setCtl(c);
    return () => c.close();
  }, [session]);
  useEffect(() => {
    if (!ctl) return;
    // The media engine is its own chunk: the page (chat, shuttle, text) does not wait for it on a
    // slow link, and the media panel says "Loading" until it is here.
    let m: MediaEngine | null = null;
    let gone = false;
    import('../media/media-engine').then(
      ({ MediaEngine }) => {
        if (gone) return;
        m = new MediaEngine(ctl);
        setMedia(m);
      },
      // The chunk did not arrive (the network, a new build replacing the old one): the media panel
      // says so, with Try again (a fresh import); the rest of the page goes on.
      (e: unknown) => {
        console.warn('media engine did not load', e);
        if (!gone) setEngine((s) => ({ ...s, failed: true }));
      },
    );
    return () => {
      gone = true;
      m?.close();
      setMedia(null);
    };
  }, [ctl, engine.attempt]);
  const load = useMemo(
    () => ({ failed: engine.failed, retry: () => setEngine((s) => ({ failed: false, attempt: s.attempt + 1 })) }),
    [engine.failed],
  );
  if (!ctl) return null;
  return (
    <EngineLoad.Provider value={load}>
      <SessionScreen ctl={ctl} media={media} />
    </EngineLoad.Provider>
  );
}

const noSubscription = () => () => {};

function SessionScreen({ ctl, media }: { ctl: SessionController; media: MediaEngine | null }) {
  const state = useSyncExternalStore(ctl.subscribe, ctl.snapshot);
  const mediaPhase = useSyncExternalStore(media?.subscribe ?? noSubscription, () => media?.state.phase ?? null);
  const roomId = state.me.roomId;
  useEffect(() => {
    if (!media || mediaPhase === null || mediaPhase === 'unavailable' || mediaPhase === 'checking') return;
    if (media.state.roomId !== roomId || mediaPhase === 'idle') void media.enter(roomId);
  }, [media, roomId, mediaPhase]);

  // A closed session has no live connection to speak of (its socket may no longer join): the page
  // says the talks are closed instead of "connecting" for ever, or the join's refusal.
  const closed = state.status === 'closed';
  const status = (
    <>
      <StatusControls ctl={ctl} state={state} />
      {!closed && <ConnectionBadge connection={state.connection} />}
    </>
  );
  const fatal = closed && state.fatal?.code === 'SESSION_CLOSED' ? null : state.fatal;
  return (
    <Shell title={state.session.title} status={status} nav={ctl.isMediator && !closed ? <ConsoleNav state={state} /> : undefined}>
      <ErrorNote error={fatal} />
      <DeviceNotice ctl={ctl} state={state} />
      {state.status === 'suspended' && <BreakNotice brk={state.break} />}
      {closed && !ctl.isMediator ? (
        <ClosedView ctl={ctl} state={state} />
      ) : ctl.isMediator ? (
        <MediatorConsole ctl={ctl} state={state} media={media} />
      ) : state.me.role === 'observer' ? (
        <ObserverView ctl={ctl} state={state} media={media} />
      ) : state.me.role === 'interpreter' ? (
        <InterpreterView ctl={ctl} state={state} media={media} />
      ) : (
        <DelegationView ctl={ctl} state={state} media={media} />
      )}
    </Shell>
  );
}
