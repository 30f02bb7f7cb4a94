// Types only: nothing of the contract's code reaches this page's bundle.
import type {
  BallotItem,
  CastVote,
  ConsultationPublicView,
  OwnStatement,
  RespondentStarted,
  RespondentView,
  StartRespondent,
  SubmitStatement,
} from '@parley/contracts';

/** A refusal from the API (`{ code, message, field? }`), or NETWORK when no answer came. */
export class ConsultFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The respondent's proof (their return code) is sent as this header on every request that needs it. */
const CODE_HEADER = 'X-Respondent-Code';

async function call<T>(method: 'GET' | 'POST', path: string, code: string | null, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/consult/${path}`, {
      method,
      headers: {
        'x-parley-csrf': '1',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(code ? { [CODE_HEADER]: code } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
    });
  } catch (e) {
    throw new ConsultFailure('NETWORK', e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) {
    const err = (await res.json().catch(() => ({}))) as { code?: string; message?: string; field?: string };
    throw new ConsultFailure(err.code ?? 'INTERNAL', err.message ?? res.statusText, err.field);
  }
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The respondent's routes (libs/contracts/src/consultation.ts), for one group's link. */
export function consultApi(link: string) {
  const l = encodeURIComponent(link);
  return {
    view: () => call<ConsultationPublicView>('GET', l, null),
    start: (b: StartRespondent) => call<RespondentStarted>('POST', `${l}/respondents`, null, b),
    me: (code: string) => call<RespondentView>('GET', `${l}/me`, code),
    write: (code: string, b: SubmitStatement) => call<OwnStatement>('POST', `${l}/statements`, code, b),
    ballot: (code: string) => call<BallotItem[]>('GET', `${l}/ballot`, code),
    vote: (code: string, b: CastVote) => call<RespondentView>('POST', `${l}/votes`, code, b),
  };
}
export type ConsultApi = ReturnType<typeof consultApi>;
