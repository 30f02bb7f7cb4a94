import type { Clause } from './model';
import { canonicalForm, finalText, sha256Hex, toHtml, toMarkdown, type FinalText, type SignedBy } from './final-text';

const aClause = (id: string, text: string, heading: string | null = null): Clause => ({
  id,
  version: 1,
  heading,
  wording: { text, segments: [] },
  marks: {},
});

const clauses: Clause[] = [
  aClause('c1', 'The parties cease fire.', 'Ceasefire'),
  aClause('c2', 'The border runs along the river.'),
  aClause('c3', 'Refugees may return.\nTheir property is restored.', 'Return'),
];
const text = (): FinalText => finalText({ sessionId: 's1', clauses }, 'Agreement on the border');
const HASH = sha256Hex(canonicalForm(text()));

const signOffs: SignedBy[] = [
  { partyName: 'North', signedBy: 'Ana Head', sha256: HASH, signedAt: '2026-11-28T12:00:00.000Z' },
  { partyName: 'South', signedBy: 'Ben Head', sha256: HASH, signedAt: '2026-11-28T12:05:00.000Z' },
];

/** The positions of each needle in the haystack, to check order. */
const positions = (haystack: string, needles: string[]) => needles.map((n) => haystack.indexOf(n));
const isIncreasing = (xs: number[]) => xs.every((x, i) => x >= 0 && (i === 0 || x > xs[i - 1]));

describe('finalText', () => {
  it('numbers the clauses in order, with their headings and their wording for people', () => {
    const bracketed: Clause = {
      ...aClause('c9', 'Pay {{s}}.'),
      wording: {
        text: 'Pay {{s}}.',
        segments: [
          {
            id: 's',
            options: [
              { id: 'A', text: 'ten', supportedBy: [] },
              { id: 'B', text: 'five', supportedBy: [] },
            ],
          },
        ],
      },
    };
    expect(finalText({ sessionId: 's1', clauses: [clauses[1], bracketed] }, 'T')).toEqual({
      sessionId: 's1',
      title: 'T',
      clauses: [
        { number: 1, heading: null, text: 'The border runs along the river.' },
        { number: 2, heading: null, text: 'Pay [A: ten | B: five].' },
      ],
    });
  });
});

describe('canonicalForm', () => {
  it('is RFC 8785 JSON: keys sorted, no spaces', () => {
    const sut = canonicalForm({ title: 'T', sessionId: 's1', clauses: [{ text: 'Genève', number: 1, heading: null }] });
    expect(sut).toBe('{"clauses":[{"heading":null,"number":1,"text":"Genève"}],"sessionId":"s1","title":"T"}');
  });

  it('gives the same bytes for the same text, whatever order its keys were built in', () => {
    const reordered: FinalText = {
      title: 'Agreement on the border',
      clauses: text().clauses.map((c) => ({ text: c.text, heading: c.heading, number: c.number })),
      sessionId: 's1',
    };
    expect(canonicalForm(reordered)).toBe(canonicalForm(text()));
    expect(sha256Hex(canonicalForm(reordered))).toBe(HASH);
  });

  it('changes with any clause, heading, order or title', () => {
    const variants = [
      finalText(
        { sessionId: 's1', clauses: [clauses[0], clauses[1], aClause('c3', 'Refugees may return.', 'Return')] },
        'Agreement on the border',
      ),
      finalText(
        { sessionId: 's1', clauses: [aClause('c1', 'The parties cease fire.', 'Truce'), clauses[1], clauses[2]] },
        'Agreement on the border',
      ),
      finalText({ sessionId: 's1', clauses: [clauses[1], clauses[0], clauses[2]] }, 'Agreement on the border'),
      finalText({ sessionId: 's1', clauses }, 'Agreement on the borders'),
      finalText({ sessionId: 's2', clauses }, 'Agreement on the border'),
    ];
    const hashes = variants.map((v) => sha256Hex(canonicalForm(v)));
    expect(new Set([HASH, ...hashes]).size).toBe(variants.length + 1);
  });
});

describe('sha256Hex', () => {
  it('is the lower-case hex SHA-256 of the UTF-8 bytes', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('é')).toBe(sha256Hex('\u00e9'));
    expect(sha256Hex('é')).not.toBe(sha256Hex('e\u0301'));
  });
});

describe('toMarkdown', () => {
  it('shows the title, the hash, the clauses in order with their headings, and the sign-offs', () => {
    const sut = toMarkdown(text(), HASH, signOffs);
    expect(sut.startsWith('# Agreement on the border\n')).toBe(true);
    expect(sut).toContain(`\`${HASH}\``);
    expect(
      isIncreasing(
        positions(sut, [
          '## Ceasefire',
          '**1.** The parties cease fire.',
          '**2.** The border runs along the river.',
          '## Return',
          '**3.** Refugees may return.',
          '## Sign-off',
          `- North: signed by Ana Head on 2026-11-28T12:00:00.000Z (SHA-256 \`${HASH}\`)`,
          '- South: signed by Ben Head',
        ]),
      ),
    ).toBe(true);
  });

  it('keeps line breaks inside a clause as hard breaks', () => {
    expect(toMarkdown(text(), HASH, [])).toContain('Refugees may return.  \nTheir property is restored.');
  });

  it('says when nobody has signed yet', () => {
    const sut = toMarkdown(text(), HASH, []);
    expect(sut).toContain('## Sign-off\n\nNot signed yet.');
    expect(sut).not.toContain('signed by');
  });

  it('escapes Markdown in the title, the clauses and the names, so the wording reads as written', () => {
    const t = finalText({ sessionId: 's1', clauses: [aClause('c1', 'Pay *all* [costs] <now> #1 | `x` _y_', 'A # B')] }, 'Title *bold*');
    const sut = toMarkdown(t, HASH, [{ ...signOffs[0], partyName: 'North_Side' }]);
    expect(sut).toContain('# Title \\*bold\\*');
    expect(sut).toContain('## A \\# B');
    expect(sut).toContain('**1.** Pay \\*all\\* \\[costs\\] \\<now\\> \\#1 \\| \\`x\\` \\_y\\_');
    expect(sut).toContain('- North\\_Side: signed by');
  });
});

describe('toMarkdown escaping', () => {
  it('shows the wording as written: no line becomes a list or a heading, no entity is decoded', () => {
    const tricky = finalText({ sessionId: 's1', clauses: [aClause('c9', 'Costs:\n- first &lt; second\n1. item\n=== end')] }, 'T');
    const sut = toMarkdown(tricky, HASH, []);
    expect(sut).toContain('Costs:  \n\\- first \\&lt; second  \n1\\. item  \n\\=== end');
  });
});

describe('toHtml', () => {
  it('is a standalone page with the title, the hash, the clauses in order with their headings, and the sign-offs', () => {
    const sut = toHtml(text(), HASH, signOffs);
    expect(sut.startsWith('<!doctype html>')).toBe(true);
    expect(sut).toContain('<title>Agreement on the border</title>');
    expect(sut).toContain(`<code>${HASH}</code>`);
    expect(
      isIncreasing(
        positions(sut, [
          '<h1>Agreement on the border</h1>',
          '<h2>Ceasefire</h2>',
          '<p id="clause-1"><strong>1.</strong> The parties cease fire.</p>',
          '<p id="clause-2"><strong>2.</strong> The border runs along the river.</p>',
          '<h2>Return</h2>',
          '<p id="clause-3"><strong>3.</strong> Refugees may return.<br>Their property is restored.</p>',
          '<h2>Sign-off</h2>',
          `<li>North: signed by Ana Head on 2026-11-28T12:00:00.000Z (SHA-256 <code>${HASH}</code>)</li>`,
          '<li>South: signed by Ben Head',
        ]),
      ),
    ).toBe(true);
  });

  it('says when nobody has signed yet', () => {
    const sut = toHtml(text(), HASH, []);
    expect(sut).toContain('<h2>Sign-off</h2>\n<p>Not signed yet.</p>');
    expect(sut).not.toContain('<li>');
  });

  it('escapes HTML everywhere people wrote something', () => {
    const t = finalText(
      { sessionId: 's1', clauses: [aClause('c1', 'Pay <script>alert(1)</script> & "costs" \'now\'', '<b>Costs</b>')] },
      '<i>Title</i>',
    );
    const sut = toHtml(t, HASH, [{ ...signOffs[0], partyName: '<img src=x onerror=alert(1)>', signedBy: 'Ana "A" Head' }]);
    expect(sut).toContain('Pay &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;costs&quot; &#39;now&#39;');
    expect(sut).toContain('<h2>&lt;b&gt;Costs&lt;/b&gt;</h2>');
    expect(sut).toContain('<title>&lt;i&gt;Title&lt;/i&gt;</title>');
    expect(sut).toContain('<li>&lt;img src=x onerror=alert(1)&gt;: signed by Ana &quot;A&quot; Head');
    expect(sut).not.toMatch(/<script|<img|<b>|<i>/);
  });
});
