import type { ClauseView } from '@parley/contracts';
import type { SessionController } from '../state/session-controller';
import type { SessionState } from '../state/session-state';

/** A clause's disputed segments: each option with its supporters; support, and the mediator's resolve. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- filled in by the support and resolve controls
export function SegmentPanel(_props: { c: ClauseView; ctl: SessionController; state: SessionState }) {
  return null;
}
