import type { ConsultationView, CreateConsultation, RespondentStarted } from '@parley/contracts';
import { RESPONDENT_CODE_HEADER } from '@parley/contracts';
import type { TestApp } from './harness';
import type { Mediation } from './mediation';

/** Three groups, as a peace process might invite them. */
export const GROUPS = ["Victims' associations", "Women's organisations", 'Youth'];

export function consultationSpec(over: Partial<CreateConsultation> = {}): CreateConsultation {
  return {
    title: 'What should the harbour agreement protect?',
    prompt: 'Write what matters most to you about the harbour, in one or two sentences.',
    excerpts: [{ heading: 'Clause 1 (tabled)', text: 'The harbour stays open to fishing boats of both shores.' }],
    languages: ['ar', 'en', 'fr'],
    closesAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    requireCode: false,
    groups: GROUPS.map((name) => ({ name })),
    ...over,
  };
}

export async function createConsultation(m: Mediation, over: Partial<CreateConsultation> = {}): Promise<ConsultationView> {
  const res = await m.post(m.mediator, '/consultations', consultationSpec(over));
  if (res.status !== 201) throw new Error(`create consultation: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as ConsultationView;
}

/** A respondent as a test drives one: their group's link and return code. */
export interface TestRespondent {
  link: string;
  returnCode: string;
  groupIndex: number;
}

/** The respondent API on a link, with the return code when given, and a user agent that must never be stored. */
export function respondentHttp(app: TestApp, r: { link: string; returnCode?: string }, userAgent = 'ParleyTest/1.0') {
  const headers: Record<string, string> = { 'User-Agent': userAgent };
  if (r.returnCode) headers[RESPONDENT_CODE_HEADER] = r.returnCode;
  const base = `/api/consult/${r.link}`;
  return {
    get: (path = '') => app.http().get(`${base}${path}`).set(headers),
    post: (path: string, body: object = {}) => app.http().post(`${base}${path}`).set(headers).send(body),
  };
}

export async function startRespondent(
  app: TestApp,
  link: string,
  groupIndex: number,
  code?: string,
  userAgent?: string,
): Promise<TestRespondent> {
  const res = await respondentHttp(app, { link }, userAgent).post('/respondents', code ? { code } : {});
  if (res.status !== 201) throw new Error(`start respondent: ${res.status} ${JSON.stringify(res.body)}`);
  return { link, returnCode: (res.body as RespondentStarted).returnCode, groupIndex };
}

/** A small seeded generator (mulberry32): the same scenario on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
