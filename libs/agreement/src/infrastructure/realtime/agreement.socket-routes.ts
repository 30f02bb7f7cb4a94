import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainError, validateEmptyPayload, validatePayload } from '@parley/platform';
import { SocketRouter, answerOn, type ParleySocket } from '@parley/sessions';
import { AgreementQueries } from '../../application/agreement-queries';
import { MarkClauseUseCase } from '../../application/clause-positions.use-cases';
import { EditTextUseCase } from '../../application/edit-text.use-case';
import { LiveDrafts } from '../../application/live-drafts';
import { MakeProposalUseCase, RespondToProposalUseCase } from '../../application/proposals.use-cases';
import { DraftScopeDto, EditDto, MarkPayloadDto, ProposeDto, RespondPayloadDto, toChange, toScope } from '../http/agreement.dto';

/** The binary draft payload: `{ draft, message }`, message as bytes (Socket.IO carries them as a Buffer). */
function draftPayload(body: unknown) {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new DomainError('VALIDATION_FAILED', 'The payload must be an object.');
  const { draft, message, ...rest } = body as Record<string, unknown>;
  const [extra] = Object.keys(rest);
  if (extra) throw new DomainError('VALIDATION_FAILED', `property ${extra} should not exist`, extra);
  if (!(message instanceof Uint8Array) || message.byteLength === 0)
    throw new DomainError('VALIDATION_FAILED', 'message must be binary (a y-protocols sync message).', 'message');
  return { draft: toScope(validatePayload(DraftScopeDto, draft)), message };
}

/** The negotiating text and live drafts over Socket.IO: the same use cases as HTTP. */
@Injectable()
export class AgreementSocketRoutes implements OnModuleInit {
  constructor(
    private readonly router: SocketRouter,
    private readonly queries: AgreementQueries,
    private readonly edit: EditTextUseCase,
    private readonly propose: MakeProposalUseCase,
    private readonly respond: RespondToProposalUseCase,
    private readonly markClause: MarkClauseUseCase,
    private readonly drafts: LiveDrafts,
  ) {}

  onModuleInit(): void {
    const joined = (s: ParleySocket) => ({ userId: s.data.userId, sessionId: s.data.sessionId! });
    this.router.on('agreement.get', (s, body) =>
      answerOn(s.data, true, () => {
        validateEmptyPayload(body);
        return this.queries.text(joined(s));
      }),
    );
    this.router.on('agreement.edit', (s, body) =>
      answerOn(s.data, true, () => this.edit.execute({ ...joined(s), change: toChange(validatePayload(EditDto, body).change) })),
    );
    this.router.on('agreement.propose', (s, body) =>
      answerOn(s.data, true, () => {
        const dto = validatePayload(ProposeDto, body);
        return this.propose.execute({ ...joined(s), ...dto, change: toChange(dto.change) });
      }),
    );
    this.router.on('agreement.respond', (s, body) =>
      answerOn(s.data, true, () => this.respond.execute({ ...joined(s), ...validatePayload(RespondPayloadDto, body) })),
    );
    this.router.on('agreement.mark', (s, body) =>
      answerOn(s.data, true, () => this.markClause.execute({ ...joined(s), ...validatePayload(MarkPayloadDto, body) })),
    );
    this.router.on('draft.sync', (s, body) =>
      answerOn(s.data, true, () => this.drafts.receive({ ...joined(s), ...draftPayload(body), socketId: s.id })),
    );
  }
}
