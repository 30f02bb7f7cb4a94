import { useEffect, useState } from 'react';
import type { BreakView } from '@parley/contracts';
import { useI18n } from '../i18n/i18n';
import { breakClock } from './break-clock';

/** The current time, ticking once a second while `active`. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [active]);
  return now;
}

/**
 * A break in the talks, on every page while the session is suspended: its reason and, when the
 * mediators gave it a length, the time left (then "resuming soon" once it has passed). The notice
 * is announced once; the ticking countdown is a timer, which screen readers do not read out each second.
 */
export function BreakNotice({ brk }: { brk: BreakView | null }) {
  const { t } = useI18n();
  const clock = breakClock(brk?.endsAt ?? null, useNow(Boolean(brk?.endsAt)));
  return (
    <section className="break-notice" aria-labelledby="break-title" data-testid="break-notice">
      <div role="status">
        <h2 id="break-title">{t('break.title')}</h2>
        {brk?.reason && (
          <p className="break-reason" dir="auto" data-testid="break-reason">
            {brk.reason}
          </p>
        )}
      </div>
      <p role="timer" className="break-clock" data-testid="break-countdown" data-kind={clock.kind}>
        {clock.kind === 'counting'
          ? t('break.resumesIn', { time: clock.text })
          : clock.kind === 'resuming_soon'
            ? t('break.resumingSoon')
            : t('break.untilResumed')}
      </p>
    </section>
  );
}
