import type { BallotItem, ConsultationPublicView, OwnStatement, RespondentView, VoteValue } from '@parley/contracts';
import { consultApi, ConsultFailure } from './consult-api';
import { errorText, LANGS, offeredLanguages, pickLanguage, say, type ConsultKey, type Lang } from './consult-strings';
import './consult.css';

/**
 * The respondent's page (`/c/<link>`): one group's link to a consultation, for people on phones
 * and slow links — plain DOM, its own strings, nothing of the main client. The state lives here;
 * `render` draws the whole page from it after every change (the page is small), keeping the focus
 * and the statement being written.
 *
 * Flow: the consultation as published → Start (a one-time code when asked) → the return code,
 * shown once and kept in this browser under the link → write statements, see their status, vote
 * on the ballot one card at a time. A stored code brings the respondent back after a reload; the
 * "I have a return code" field, on another device.
 */

interface State {
  lang: Lang;
  view: ConsultationPublicView | null;
  /** The respondent's return code, once started (or come back). */
  code: string | null;
  /** The code was just issued: shown prominently until "I have written it down". */
  fresh: boolean;
  me: RespondentView | null;
  ballot: BallotItem[];
  /** Votes cast on the current ballot page: "statement i of n". */
  ballotDone: number;
  draft: string;
  busy: boolean;
  /** The latest refusal's code, shown in words in the alert region. */
  error: string | null;
  /** A short confirmation for the polite status region. */
  notice: ConsultKey | null;
}

const root = document.getElementById('consult')!;
const link = decodeURIComponent(/^\/c\/([^/?#]+)/.exec(location.pathname)?.[1] ?? '');
const api = consultApi(link);
const CODE_KEY = `parley.consult.${link}`;
const LANG_KEY = 'parley.consult.lang';

const stored = {
  get: (k: string): string | null => {
    try {
      return localStorage.getItem(k);
    } catch {
      return null;
    }
  },
  set: (k: string, v: string | null): void => {
    try {
      if (v === null) localStorage.removeItem(k);
      else localStorage.setItem(k, v);
    } catch {
      // Storage refused (private mode): the code lasts as long as the page, and is shown to write down.
    }
  },
};

const state: State = {
  lang: pickLanguage(['en', 'fr', 'ar'], navigator.languages ?? [navigator.language], null),
  view: null,
  code: null,
  fresh: false,
  me: null,
  ballot: [],
  ballotDone: 0,
  draft: '',
  busy: false,
  error: null,
  notice: null,
};

const t = (key: ConsultKey, vars?: Record<string, string | number>) => say(state.lang, key, vars);

type Child = Node | string | null | false | undefined;
type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;

/** An element with its attributes (`on…`: a listener; true: present; false/undefined: absent) and children. */
function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (v === true) e.setAttribute(k, '');
    else if (v !== false && v !== undefined) e.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== false && c !== undefined) e.append(c);
  return e;
}

const date = (iso: string) => {
  try {
    return new Intl.DateTimeFormat(state.lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  } catch {
    return iso;
  }
};

/** Runs one action: busy meanwhile (no double taps), its refusal shown in words. */
async function act(work: () => Promise<void>): Promise<void> {
  if (state.busy) return;
  state.busy = true;
  state.error = null;
  state.notice = null;
  render();
  try {
    await work();
  } catch (e) {
    state.error = e instanceof ConsultFailure ? e.code : 'unknown';
    if (state.error === 'RESPONDENT_UNKNOWN') forget();
  } finally {
    state.busy = false;
    render();
    if (state.error) document.getElementById('consult-alert')?.scrollIntoView({ block: 'nearest' });
  }
}

function forget(): void {
  stored.set(CODE_KEY, null);
  state.code = null;
  state.fresh = false;
  state.me = null;
  state.ballot = [];
}

/** What the respondent has written and may vote on, read again with their code. */
async function loadMine(code: string): Promise<void> {
  const me = await api.me(code);
  state.code = code;
  state.me = me;
  stored.set(CODE_KEY, code);
  await loadBallot();
}

async function loadBallot(): Promise<void> {
  if (!state.code || state.view?.status !== 'open') {
    state.ballot = [];
    return;
  }
  state.ballot = await api.ballot(state.code);
  state.ballotDone = 0;
}

const start = (code: string) =>
  act(async () => {
    const started = await api.start(code ? { code } : {});
    state.fresh = true;
    await loadMine(started.returnCode);
  });

const comeBack = (code: string) => act(() => loadMine(code));

const write = () =>
  act(async () => {
    const code = state.code!;
    await api.write(code, { text: state.draft.trim() });
    state.draft = '';
    state.me = await api.me(code);
    state.notice = 'write.sent';
  });

const vote = (statementId: string, value: VoteValue) =>
  act(async () => {
    state.me = await api.vote(state.code!, { statementId, vote: value });
    state.ballot = state.ballot.filter((b) => b.id !== statementId);
    state.ballotDone++;
    if (state.ballot.length === 0) await loadBallot();
    state.notice = 'vote.done';
  });

function setLanguage(lang: Lang): void {
  state.lang = lang;
  stored.set(LANG_KEY, lang);
  render();
}

function languageSwitcher(): HTMLElement {
  const offered = state.view ? offeredLanguages(state.view.languages) : (Object.keys(LANGS) as Lang[]);
  return h(
    'nav',
    { class: 'langs', 'aria-label': t('language') },
    ...offered.map((l) =>
      h(
        'button',
        {
          type: 'button',
          lang: l,
          'aria-pressed': l === state.lang ? 'true' : 'false',
          'data-k': `lang-${l}`,
          onclick: () => setLanguage(l),
        },
        LANGS[l].name,
      ),
    ),
  );
}

function header(v: ConsultationPublicView): HTMLElement {
  const status =
    v.status === 'open'
      ? t('status.open', { date: date(v.closesAt) })
      : v.status === 'scheduled'
        ? t('status.scheduled', { date: date(v.opensAt) })
        : t('status.closed');
  return h(
    'header',
    { class: 'intro' },
    h('h1', { dir: 'auto' }, v.title),
    h('p', { class: 'group' }, t('group', { name: '' }), h('bdi', {}, v.group.name)),
    h('p', { class: `status ${v.status}`, 'data-status': v.status }, status),
    h('p', { class: 'prompt', dir: 'auto' }, v.prompt),
    v.excerpts.length > 0 &&
      h(
        'section',
        { class: 'excerpts', 'aria-labelledby': 'excerpts-title' },
        h('h2', { id: 'excerpts-title' }, t('excerpts')),
        ...v.excerpts.map((x) => h('article', { dir: 'auto' }, h('h3', {}, x.heading), h('p', {}, x.text))),
      ),
  );
}

function startForms(v: ConsultationPublicView): HTMLElement {
  const oneTime = h('input', {
    id: 'one-time-code',
    name: 'code',
    autocomplete: 'off',
    autocapitalize: 'off',
    spellcheck: 'false',
    required: true,
    'data-k': 'one-time',
  });
  const returning = h('input', {
    id: 'return-code',
    name: 'return-code',
    autocomplete: 'off',
    autocapitalize: 'off',
    spellcheck: 'false',
    required: true,
    dir: 'ltr',
    'data-k': 'return',
  });
  return h(
    'div',
    {},
    v.status === 'open' &&
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'start-title' },
        h('h2', { id: 'start-title' }, t('start.title')),
        h('p', {}, t('start.intro')),
        h(
          'form',
          {
            onsubmit: (e) => {
              e.preventDefault();
              void start(v.requireCode ? oneTime.value.trim() : '');
            },
          },
          v.requireCode && h('label', { for: 'one-time-code' }, t('start.code')),
          v.requireCode && oneTime,
          h('button', { type: 'submit', class: 'primary', disabled: state.busy, 'data-k': 'start' }, t('start.button')),
        ),
      ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'back-title' },
      h('h2', { id: 'back-title' }, t('back.title')),
      h(
        'form',
        {
          onsubmit: (e) => {
            e.preventDefault();
            if (returning.value.trim()) void comeBack(returning.value.trim());
          },
        },
        h('label', { for: 'return-code' }, t('back.code')),
        returning,
        h('button', { type: 'submit', disabled: state.busy, 'data-k': 'back' }, t('back.button')),
      ),
    ),
  );
}

function returnCode(code: string): HTMLElement {
  return h(
    'section',
    { class: 'card return-code', 'aria-labelledby': 'code-title', 'data-testid': 'return-code' },
    h('h2', { id: 'code-title' }, t('code.title')),
    h('p', { class: 'code', dir: 'ltr', 'data-k': 'code', tabindex: -1 }, code),
    h('p', {}, t('code.keep')),
    h(
      'button',
      {
        type: 'button',
        'data-k': 'code-done',
        onclick: () => {
          state.fresh = false;
          render();
        },
      },
      t('code.done'),
    ),
  );
}

function writer(v: ConsultationPublicView, me: RespondentView): HTMLElement {
  const max = v.limits.statementMaxLength;
  if (me.statementsLeft <= 0) return h('section', { class: 'card' }, h('h2', {}, t('write.title')), h('p', {}, t('write.none')));
  const counter = h('p', { id: 'statement-count', class: 'count' }, t('write.count', { n: state.draft.length, max }));
  const area = h('textarea', {
    id: 'statement',
    rows: 4,
    maxlength: max,
    required: true,
    dir: 'auto',
    'aria-describedby': 'statement-hint statement-count statement-left',
    'data-k': 'statement',
    oninput: (e) => {
      state.draft = (e.target as HTMLTextAreaElement).value;
      counter.textContent = t('write.count', { n: state.draft.length, max });
      send.disabled = state.busy || !state.draft.trim();
    },
  });
  area.value = state.draft;
  const send = h(
    'button',
    { type: 'submit', class: 'primary', disabled: state.busy || !state.draft.trim(), 'data-k': 'send' },
    t('write.send'),
  );
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'write-title' },
    h('h2', { id: 'write-title' }, t('write.title')),
    h('p', { id: 'statement-hint' }, t('write.hint')),
    h(
      'form',
      {
        onsubmit: (e) => {
          e.preventDefault();
          if (state.draft.trim()) void write();
        },
      },
      h('label', { for: 'statement' }, t('write.label')),
      area,
      counter,
      h('p', { id: 'statement-left', class: 'muted' }, t('write.left', { n: me.statementsLeft })),
      send,
    ),
  );
}

function statusOf(s: OwnStatement): string {
  if (s.status === 'rejected') return t('st.rejected', { reason: t(`reason.${s.reason ?? 'other'}` as ConsultKey) });
  return t(`st.${s.status}` as ConsultKey);
}

function mine(me: RespondentView): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'mine-title' },
    h('h2', { id: 'mine-title' }, t('mine.title')),
    me.statements.length === 0
      ? h('p', { class: 'muted' }, t('mine.none'))
      : h(
          'ul',
          { class: 'mine' },
          ...me.statements.map((s) =>
            h(
              'li',
              { 'data-status': s.status, 'data-statement-id': s.id },
              h('p', { dir: 'auto' }, s.text),
              h('p', { class: `badge ${s.status}` }, statusOf(s)),
            ),
          ),
        ),
  );
}

function ballot(me: RespondentView): HTMLElement {
  const item = state.ballot[0];
  const total = state.ballotDone + state.ballot.length;
  return h(
    'section',
    { class: 'card ballot', 'aria-labelledby': 'vote-title' },
    h('h2', { id: 'vote-title' }, t('vote.title')),
    item
      ? h(
          'article',
          { class: 'vote-card', 'data-statement-id': item.id, 'aria-labelledby': 'vote-progress vote-text' },
          h('p', { id: 'vote-progress', class: 'muted' }, t('vote.progress', { i: state.ballotDone + 1, n: total })),
          h('p', { id: 'vote-text', class: 'statement', dir: 'auto', tabindex: -1, 'data-k': `card-${item.id}` }, item.text),
          h(
            'div',
            { class: 'votes' },
            ...(['agree', 'disagree', 'pass'] as const).map((v) =>
              h(
                'button',
                {
                  type: 'button',
                  class: `vote ${v}`,
                  disabled: state.busy,
                  'data-vote': v,
                  'data-k': `card-${item.id}-${v}`,
                  onclick: () => void vote(item.id, v),
                },
                t(`vote.${v}`),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted', 'data-testid': 'ballot-empty' }, t('vote.empty')),
    h('p', { class: 'muted' }, t('vote.cast', { n: me.votesCast })),
  );
}

/** Draws the page from the state; the focused control (by its data-k) and its caret are kept. */
function render(): void {
  const active = document.activeElement as HTMLElement | null;
  const key = active?.dataset.k;
  const caret = active instanceof HTMLTextAreaElement || active instanceof HTMLInputElement ? active.selectionStart : null;
  const typed = active instanceof HTMLInputElement ? active.value : null;

  const dir = LANGS[state.lang].dir;
  document.documentElement.lang = state.lang;
  document.documentElement.dir = dir;
  document.title = state.view ? `${state.view.title} — ${t('title')}` : t('title');

  const v = state.view;
  const alert = h(
    'div',
    { id: 'consult-alert', role: 'alert', class: state.error ? 'alert shown' : 'alert' },
    state.error && `${t('err.prefix')} ${errorText(state.lang, state.error)}`,
  );
  const status = h('p', { role: 'status', class: 'sr-status' }, state.notice && t(state.notice));
  const body: Child[] = [];
  if (!v) body.push(state.busy || !state.error ? h('p', { class: 'muted' }, t('loading')) : null);
  else {
    body.push(header(v));
    if (!state.code || !state.me) body.push(startForms(v));
    else {
      if (state.fresh) body.push(returnCode(state.code));
      if (v.status === 'open') body.push(writer(v, state.me), ballot(state.me));
      body.push(mine(state.me));
      body.push(
        h(
          'p',
          { class: 'forget' },
          h(
            'button',
            {
              type: 'button',
              class: 'quiet',
              'data-k': 'forget',
              onclick: () => {
                forget();
                render();
              },
            },
            t('forget'),
          ),
        ),
      );
    }
  }
  root.replaceChildren(h('div', { class: 'top' }, languageSwitcher()), alert, status, ...body.filter((c): c is Node | string => !!c));
  root.setAttribute('aria-busy', state.busy ? 'true' : 'false');

  const again = key ? root.querySelector<HTMLElement>(`[data-k="${key}"]`) : null;
  if (again) {
    if (typed !== null && again instanceof HTMLInputElement) again.value = typed;
    again.focus({ preventScroll: true });
    if (caret !== null && (again instanceof HTMLTextAreaElement || again instanceof HTMLInputElement))
      again.setSelectionRange(caret, caret);
  } else if (key?.startsWith('card-') || key === 'send' || key === 'start' || key === 'back') {
    // The card voted on, or the form sent, is gone: the next card (or the code) takes the focus.
    root.querySelector<HTMLElement>('.vote-card .statement, .return-code .code, #statement')?.focus({ preventScroll: true });
  }
}

async function boot(): Promise<void> {
  render();
  await act(async () => {
    const v = await api.view();
    state.view = v;
    state.lang = pickLanguage(v.languages, navigator.languages ?? [navigator.language], stored.get(LANG_KEY));
    const code = stored.get(CODE_KEY);
    if (code) await loadMine(code);
  });
}

void boot();
