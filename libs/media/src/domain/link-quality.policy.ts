/**
 * The SFU's view of a subscriber's link. Janus reports a "slowlink" on a subscription when the
 * browser asks again for more packets than a threshold in a second (NACKs: it lost them on the way);
 * mediasoup scores each consumer from the browser's receiver reports (10: nothing lost, 0: nothing
 * arrives). One report is a burst; the link is poor when the SFU kept reporting over a window, as
 * the page judges its own readings (apps/web/src/media/low-bandwidth.ts): then the participant is
 * told, once, and not again before `repeatMs` (the page has switched, or the person undid it).
 */
export const SFU_POOR_LINK = {
  /** The window the reports must fall in. */
  windowMs: 5000,
  /** How many reports within the window make a poor link (Janus sends at most one a second per stream). */
  reports: 3,
  /** A mediasoup consumer scoring this or lower is a report (its score follows the loss it reports). */
  poorScore: 5,
  /** Quiet after telling, so that a person who chose video again is not told every second. */
  repeatMs: 30_000,
} as const;

export type SfuLinkPolicy = { [K in keyof typeof SFU_POOR_LINK]: number };

/** One subscriber's reports: when each came (ms, oldest first), what each lost, and when they were last told. */
export interface LinkReports {
  at: number[];
  lost: (number | null)[];
  toldAt: number | null;
}

export const noReports = (): LinkReports => ({ at: [], lost: [], toldAt: null });

/**
 * A report at `now` (`lost`: the packets it says were lost, null when the SFU does not count them):
 * the reports kept (the window's only) and whether to tell the participant now.
 */
export function reportLink(
  prior: LinkReports,
  now: number,
  lost: number | null,
  policy: SfuLinkPolicy = SFU_POOR_LINK,
): { reports: LinkReports; tell: { reports: number; lost: number | null } | null } {
  const keep = prior.at.map((t, i) => ({ t, lost: prior.lost[i] })).filter((r) => r.t > now - policy.windowMs);
  keep.push({ t: now, lost });
  const quiet = prior.toldAt !== null && now - prior.toldAt < policy.repeatMs;
  if (keep.length >= policy.reports && !quiet) {
    const counted = keep.map((r) => r.lost).filter((n): n is number => n !== null);
    const tell = { reports: keep.length, lost: counted.length ? counted.reduce((a, b) => a + b, 0) : null };
    return { reports: { at: [], lost: [], toldAt: now }, tell };
  }
  return { reports: { at: keep.map((r) => r.t), lost: keep.map((r) => r.lost), toldAt: prior.toldAt }, tell: null };
}
