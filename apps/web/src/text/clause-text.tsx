import type { ClauseView } from '@parley/contracts';
import type { SessionState } from '../state/session-state';

/** A clause's wording as negotiators read it: plain wording, bracketed segments and alternatives. */
export function ClauseText({ c }: { c: ClauseView; state: SessionState }) {
  return (
    <p className="clause-text" dir="auto">
      {c.rendered}
    </p>
  );
}
