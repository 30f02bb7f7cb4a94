import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { AgreementState } from './model';
import { render } from './wording';

/** The final text in canonical form: what is hashed, signed and exported. */
export interface FinalText {
  sessionId: string;
  title: string;
  clauses: Array<{ number: number; heading: string | null; text: string }>;
}

export function finalText(s: Pick<AgreementState, 'sessionId' | 'clauses'>, title: string): FinalText {
  return {
    sessionId: s.sessionId,
    title,
    clauses: s.clauses.map((c, i) => ({ number: i + 1, heading: c.heading, text: render(c.wording) })),
  };
}

/** RFC 8785 canonical JSON: the same text gives the same bytes, and so the same hash, anywhere. */
export const canonicalForm = (t: FinalText): string => canonicalize(t);

export const sha256Hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

export interface SignedBy {
  partyName: string;
  signedBy: string;
  sha256: string;
  signedAt: string;
}

/** Markdown shows the wording as written: inline marks escaped, and no line read as a list or heading. */
const mdEscape = (s: string) =>
  s
    .replace(/([\\`*_[\]#<>|&])/g, '\\$1')
    .split('\n')
    .map((line) => line.replace(/^(\s*)([-+=])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2'))
    .join('\n');

/** The signed text as Markdown, with its hash and the sign-offs. */
export function toMarkdown(t: FinalText, sha256: string, signOffs: readonly SignedBy[]): string {
  const lines = [`# ${mdEscape(t.title)}`, '', `Final text — SHA-256 of its canonical form: \`${sha256}\``, ''];
  for (const c of t.clauses) {
    if (c.heading) lines.push(`## ${mdEscape(c.heading)}`, '');
    lines.push(`**${c.number}.** ${mdEscape(c.text).replace(/\n/g, '  \n')}`, '');
  }
  lines.push('## Sign-off', '');
  if (!signOffs.length) lines.push('Not signed yet.');
  for (const s of signOffs)
    lines.push(`- ${mdEscape(s.partyName)}: signed by ${mdEscape(s.signedBy)} on ${s.signedAt} (SHA-256 \`${s.sha256}\`)`);
  return `${lines.join('\n')}\n`;
}

const htmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The signed text as a standalone HTML page, with its hash and the sign-offs. */
export function toHtml(t: FinalText, sha256: string, signOffs: readonly SignedBy[]): string {
  const body: string[] = [`<h1>${htmlEscape(t.title)}</h1>`, `<p>Final text — SHA-256 of its canonical form: <code>${sha256}</code></p>`];
  for (const c of t.clauses) {
    if (c.heading) body.push(`<h2>${htmlEscape(c.heading)}</h2>`);
    body.push(`<p id="clause-${c.number}"><strong>${c.number}.</strong> ${htmlEscape(c.text).replace(/\n/g, '<br>')}</p>`);
  }
  body.push('<h2>Sign-off</h2>');
  body.push(
    signOffs.length
      ? `<ul>${signOffs.map((s) => `<li>${htmlEscape(s.partyName)}: signed by ${htmlEscape(s.signedBy)} on ${s.signedAt} (SHA-256 <code>${s.sha256}</code>)</li>`).join('')}</ul>`
      : '<p>Not signed yet.</p>',
  );
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${htmlEscape(t.title)}</title></head><body>\n${body.join('\n')}\n</body></html>\n`;
}
