import type {
  ConsultationResults,
  ConsultationSummaryView,
  ConsultationView,
  CreateConsultation,
  FrozenVerification,
  IssuedCodes,
  ModerateStatement,
  ModerationItem,
  StatementStatus,
  TableSummary,
} from '@parley/contracts';
import { call } from '../console/console-api';

const c = (sessionId: string, id?: string) =>
  `/api/sessions/${encodeURIComponent(sessionId)}/consultations${id ? `/${encodeURIComponent(id)}` : ''}`;

/** The mediators' consultation routes (libs/contracts/src/consultation.ts), with the console's headers and errors. */
export const consultationApi = {
  list: (sessionId: string) => call<ConsultationView[]>('GET', c(sessionId)),
  create: (sessionId: string, b: CreateConsultation) => call<ConsultationView>('POST', c(sessionId), b),
  get: (sessionId: string, id: string) => call<ConsultationView>('GET', c(sessionId, id)),
  issueCodes: (sessionId: string, id: string, groupId: string, count: number) =>
    call<IssuedCodes>('POST', `${c(sessionId, id)}/groups/${encodeURIComponent(groupId)}/codes`, { count }),
  statements: (sessionId: string, id: string, status?: StatementStatus) =>
    call<ModerationItem[]>('GET', `${c(sessionId, id)}/statements${status ? `?status=${status}` : ''}`),
  moderate: (sessionId: string, id: string, statementId: string, b: ModerateStatement) =>
    call<ModerationItem>('POST', `${c(sessionId, id)}/statements/${encodeURIComponent(statementId)}/moderation`, b),
  results: (sessionId: string, id: string, k?: number) =>
    call<ConsultationResults>('GET', `${c(sessionId, id)}/results${k ? `?k=${k}` : ''}`),
  close: (sessionId: string, id: string) => call<ConsultationView>('POST', `${c(sessionId, id)}/close`),
  verify: (sessionId: string, id: string) => call<FrozenVerification>('GET', `${c(sessionId, id)}/results/verification`),
  tableSummary: (sessionId: string, id: string, b: TableSummary) =>
    call<ConsultationSummaryView>('POST', `${c(sessionId, id)}/summaries`, b),
  /** Everyone seated in the session: what the mediators tabled. */
  summaries: (sessionId: string) =>
    call<ConsultationSummaryView[]>('GET', `/api/sessions/${encodeURIComponent(sessionId)}/consultation-summaries`),
};
