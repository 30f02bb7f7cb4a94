import { useState } from 'react';
import type { BulkMoveResult, RoomView } from '@parley/contracts';
import { ErrorNote } from '../components/shell';
import { Select } from '../components/select';
import { useI18n } from '../i18n/i18n';
import type { ApiFailure } from '../lib/api';
import { useAction } from '../lib/use-action';
import { consoleApi, DetailedFailure } from './console-api';

/** A bulk move's refusal, with the names of those who may not go (the server lists them). */
export function RefusalNote({ error }: { error: ApiFailure | null }) {
  const { t } = useI18n();
  if (!(error instanceof DetailedFailure) || error.refused.length === 0) return <ErrorNote error={error} />;
  return (
    <p className="error" role="alert" data-code={error.code} data-testid="bulk-refused">
      {t('gather.refused', { names: error.refused.map((r) => r.displayName).join(', ') })}
    </p>
  );
}

function useBulk() {
  const { t } = useI18n();
  const action = useAction();
  const [done, setDone] = useState('');
  const bulk = async (f: () => Promise<BulkMoveResult>) => {
    setDone('');
    const r = await action.run(f);
    if (r) setDone(r.moved.length ? t('gather.done', { n: r.moved.length }) : t('gather.nobody'));
    return r;
  };
  return { ...action, bulk, done };
}

/** The two gatherings, one click each: each delegation to its caucus, everyone to the plenary. */
export function GatherControls({ sessionId, disabled }: { sessionId: string; disabled: boolean }) {
  const { t } = useI18n();
  const { bulk, busy, error, done } = useBulk();
  return (
    <section className="gather-block" aria-labelledby="gather-title">
      <h3 id="gather-title">{t('gather.title')}</h3>
      <div className="gather">
        <button type="button" disabled={busy || disabled} onClick={() => void bulk(() => consoleApi.toCaucuses(sessionId))}>
          {t('gather.caucuses')}
        </button>
        <button type="button" disabled={busy || disabled} onClick={() => void bulk(() => consoleApi.toPlenary(sessionId))}>
          {t('gather.plenary')}
        </button>
      </div>
      <RefusalNote error={error} />
      <p className="muted" role="status" aria-live="polite">
        {done}
      </p>
    </section>
  );
}

/** The people ticked on the board, moved together to one room (all or none). */
export function SelectionBar({
  sessionId,
  selected,
  rooms,
  roomName,
  onDone,
}: {
  sessionId: string;
  selected: string[];
  rooms: RoomView[];
  roomName: (r: RoomView) => string;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const { bulk, busy, error, done } = useBulk();
  const [roomId, setRoomId] = useState(rooms[0]?.id ?? '');
  const chosen = rooms.some((r) => r.id === roomId) ? roomId : (rooms[0]?.id ?? '');
  if (selected.length === 0 && !error && !done) return null;
  return (
    <div className="bulk-bar" role="group" aria-label={t('select.count', { n: selected.length })}>
      <span>{t('select.count', { n: selected.length })}</span>
      <Select label={t('select.where')} hideLabel value={chosen} onChange={setRoomId}>
        {rooms.map((r) => (
          <option key={r.id} value={r.id}>
            {roomName(r)}
          </option>
        ))}
      </Select>
      <button
        type="button"
        disabled={busy || selected.length === 0 || !chosen}
        onClick={() =>
          void bulk(() =>
            consoleApi.moveMany(
              sessionId,
              selected.map((participantId) => ({ participantId, roomId: chosen })),
            ),
          ).then((r) => r && onDone())
        }
      >
        {t('select.move')}
      </button>
      <button type="button" className="quiet" disabled={busy || selected.length === 0} onClick={onDone}>
        {t('select.clear')}
      </button>
      <RefusalNote error={error} />
      <span className="muted" role="status">
        {done}
      </span>
    </div>
  );
}
