import { diffWords } from 'diff';
import type { WordDiffSegment } from '@parley/contracts';

/**
 * Word-level changes from one wording to another (the redline): what a conveyed shuttle message
 * changed, what a new version of a clause changed.
 */
export function wordDiff(from: string, to: string): WordDiffSegment[] {
  return diffWords(from, to).map((c) => ({ op: c.added ? 'insert' : c.removed ? 'delete' : 'equal', text: c.value }));
}
