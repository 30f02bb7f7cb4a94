import type { WordDiffSegment } from '@parley/contracts';
import { useI18n } from '../i18n/i18n';

/** A word diff as a redline: deletions struck, insertions underlined, both named for screen readers. */
export function DiffText({ diff }: { diff: WordDiffSegment[] }) {
  const { t } = useI18n();
  return (
    <span className="redline" dir="auto">
      {diff.map((d, i) =>
        d.op === 'equal' ? (
          <span key={i}>{d.text}</span>
        ) : d.op === 'delete' ? (
          <del key={i} aria-label={t('diff.deleted', { text: d.text })}>
            {d.text}
          </del>
        ) : (
          <ins key={i} aria-label={t('diff.inserted', { text: d.text })}>
            {d.text}
          </ins>
        ),
      )}
    </span>
  );
}
