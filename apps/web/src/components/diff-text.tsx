import { Fragment, useMemo } from 'react';
import type { WordDiffSegment } from '@parley/contracts';
import { useI18n } from '../i18n/i18n';
import { around, cutAtSlots, slot } from '../text/redline';
import '../text/redline.css';

/**
 * A word diff as a redline: deletions struck through, insertions underlined (not by colour alone),
 * each between visually hidden markers ("[deleted: …]", "[inserted: …]") that screen readers read
 * where an aria-label on <del>/<ins> is ignored. The markers carry the page's direction, so the
 * wording's own direction (dir="auto", Arabic included) is taken from the wording, not from them.
 */
export function DiffText({ diff }: { diff: WordDiffSegment[] }) {
  const { t, dir } = useI18n();
  const [del, ins] = useMemo(
    () => [around(t('redline.deleted', { text: slot(0) })), around(t('redline.inserted', { text: slot(0) }))],
    [t],
  );
  const marker = (text: string) =>
    text ? (
      <span className="sr-only" dir={dir}>
        {text}
      </span>
    ) : null;
  return (
    <span className="redline" dir="auto">
      {diff.map((d, i) =>
        d.op === 'equal' ? (
          <span key={i}>{d.text}</span>
        ) : d.op === 'delete' ? (
          <Fragment key={i}>
            {marker(del[0])}
            <del>{d.text}</del>
            {marker(del[1])}
          </Fragment>
        ) : (
          <Fragment key={i}>
            {marker(ins[0])}
            <ins>{d.text}</ins>
            {marker(ins[1])}
          </Fragment>
        ),
      )}
    </span>
  );
}

/** How a redline reads, for any page that shows one: "struck through: deleted · underlined: inserted". */
export function RedlineLegend() {
  const { t } = useI18n();
  const pieces = cutAtSlots(t('redline.legend', { struck: slot(0), underlined: slot(1) }));
  return (
    <p className="redline-legend">
      {pieces.map((p, i) =>
        p === 0 ? (
          <span key={i} className="redline-sample-deleted">
            {t('redline.struck')}
          </span>
        ) : p === 1 ? (
          <span key={i} className="redline-sample-inserted">
            {t('redline.underlined')}
          </span>
        ) : (
          <Fragment key={i}>{p}</Fragment>
        ),
      )}
    </p>
  );
}
