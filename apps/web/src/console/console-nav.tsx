import { useI18n } from '../i18n/i18n';
import type { SessionState } from '../state/session-state';

/** The console's sections, by element id (mediator-console.tsx gives each its id). */
export const CONSOLE_SECTIONS = {
  people: 'console-people',
  room: 'console-room',
  work: 'console-work',
  invitations: 'console-invitations',
} as const;

/**
 * On a phone the console is one long column: this row, in the sticky header, jumps to each of its
 * sections — the lobby and rooms (admit, move), the review queue (with how many wait), the room's
 * video and chat, the invitations. The jump moves the focus too, so a screen reader follows. Shown
 * on narrow screens only (styles.css), where the columns stack.
 */
export function ConsoleNav({ state }: { state: SessionState }) {
  const { t } = useI18n();
  const waiting = state.overview ? state.overview.lobby.filter((o) => o.participantId !== state.me.id).length : 0;
  const pending = Object.values(state.shuttle).filter((m) => m.status === 'pending').length;
  const items: Array<{ id: string; label: string; count: number }> = [
    { id: CONSOLE_SECTIONS.people, label: t('consoleNav.people'), count: waiting },
    { id: CONSOLE_SECTIONS.work, label: t('console.queue'), count: pending },
    { id: CONSOLE_SECTIONS.room, label: t('consoleNav.room'), count: 0 },
    { id: CONSOLE_SECTIONS.invitations, label: t('invites.title'), count: 0 },
  ];
  return (
    <nav className="topbar-nav console-nav" aria-label={t('consoleNav.label')}>
      {items.map((i) => (
        <a
          key={i.id}
          href={`#${i.id}`}
          onClick={(e) => {
            e.preventDefault();
            const target = document.getElementById(i.id);
            if (!target) return;
            target.scrollIntoView({ block: 'start' });
            target.focus({ preventScroll: true });
          }}
        >
          {i.label}
          {i.count > 0 && <span className="count">{i.count}</span>}
        </a>
      ))}
    </nav>
  );
}
