import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AgreementHistory, AgreementView, ProposalView, RedlineView } from '@parley/contracts';
import { CurrentUser, JwtAuthGuard, type AuthenticatedUser } from '@parley/auth';
import { UuidParam, clientAddress } from '@parley/platform';
import { AgreementQueries } from '../../application/agreement-queries';
import { SupportOptionUseCase, MarkClauseUseCase } from '../../application/clause-positions.use-cases';
import { EditTextUseCase } from '../../application/edit-text.use-case';
import { LiveDrafts } from '../../application/live-drafts';
import {
  AdoptProposalUseCase,
  MakeProposalUseCase,
  RespondToProposalUseCase,
  WithdrawProposalUseCase,
} from '../../application/proposals.use-cases';
import { FinaliseAgreementUseCase, SignOffUseCase } from '../../application/sign-off.use-cases';
import {
  DirectEditDto,
  ExportQueryDto,
  HistoryQueryDto,
  MarkDto,
  ProposeDto,
  RedlineQueryDto,
  RespondDto,
  SignOffDto,
  SupportDto,
  toChange,
} from './agreement.dto';

const SessionId = () => Param('sessionId', new UuidParam('sessionId'));
const ClauseId = () => Param('clauseId', new UuidParam('clauseId'));
const ProposalId = () => Param('proposalId', new UuidParam('proposalId'));
const PartyId = () => Param('partyId', new UuidParam('partyId'));
const SegmentId = () => Param('segmentId');
type Changed = AgreementView & { clauseId: string; version: number };

@ApiTags('negotiating text')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('sessions/:sessionId')
export class AgreementController {
  constructor(
    private readonly queries: AgreementQueries,
    private readonly edit: EditTextUseCase,
    private readonly makeProposal: MakeProposalUseCase,
    private readonly respondTo: RespondToProposalUseCase,
    private readonly adoptProposal: AdoptProposalUseCase,
    private readonly withdrawProposal: WithdrawProposalUseCase,
    private readonly supportOption: SupportOptionUseCase,
    private readonly markClause: MarkClauseUseCase,
    private readonly finaliseText: FinaliseAgreementUseCase,
    private readonly signOffText: SignOffUseCase,
    private readonly drafts: LiveDrafts,
  ) {}

  @Get('agreement')
  text(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string): Promise<AgreementView> {
    return this.queries.text({ userId: u.userId, sessionId });
  }

  /** The mediator changes the text directly (any change kind); a delete takes the mediator's password again. */
  @Post('agreement/changes')
  change(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @Body() dto: DirectEditDto,
    @Req() req: Request,
  ): Promise<Changed> {
    const reauth = dto.password === undefined ? undefined : { password: dto.password, clientAddress: clientAddress(req) };
    return this.edit.execute({ userId: u.userId, sessionId, change: toChange(dto.change), reauth });
  }

  @Post('agreement/clauses/:clauseId/segments/:segmentId/support')
  @HttpCode(200)
  support(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @ClauseId() clauseId: string,
    @SegmentId() segmentId: string,
    @Body() dto: SupportDto,
  ): Promise<AgreementView> {
    return this.supportOption.execute({ userId: u.userId, sessionId, clauseId, segmentId, ...dto });
  }

  @Post('agreement/clauses/:clauseId/mark')
  @HttpCode(200)
  mark(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @ClauseId() clauseId: string,
    @Body() dto: MarkDto,
  ): Promise<AgreementView> {
    return this.markClause.execute({ userId: u.userId, sessionId, clauseId, ...dto });
  }

  @Get('agreement/history')
  history(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string, @Query() q: HistoryQueryDto): Promise<AgreementHistory> {
    return this.queries.history({ userId: u.userId, sessionId, ...q });
  }

  @Get('agreement/clauses/:clauseId/redline')
  redline(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @ClauseId() clauseId: string,
    @Query() q: RedlineQueryDto,
  ): Promise<RedlineView> {
    return this.queries.redline({ userId: u.userId, sessionId, clauseId, ...q });
  }

  @Post('agreement/proposals')
  propose(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string, @Body() dto: ProposeDto): Promise<ProposalView> {
    return this.makeProposal.execute({ userId: u.userId, sessionId, ...dto, change: toChange(dto.change) });
  }

  @Get('agreement/proposals')
  proposals(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string): Promise<ProposalView[]> {
    return this.queries.proposals({ userId: u.userId, sessionId });
  }

  @Get('agreement/proposals/:proposalId')
  proposal(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string, @ProposalId() proposalId: string): Promise<ProposalView> {
    return this.queries.proposal({ userId: u.userId, sessionId, proposalId });
  }

  @Post('agreement/proposals/:proposalId/responses')
  @HttpCode(200)
  respond(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @ProposalId() proposalId: string,
    @Body() dto: RespondDto,
  ): Promise<ProposalView> {
    return this.respondTo.execute({ userId: u.userId, sessionId, proposalId, ...dto });
  }

  @Post('agreement/proposals/:proposalId/adopt')
  @HttpCode(200)
  adopt(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string, @ProposalId() proposalId: string): Promise<ProposalView> {
    return this.adoptProposal.execute({ userId: u.userId, sessionId, proposalId });
  }

  @Post('agreement/proposals/:proposalId/withdraw')
  @HttpCode(200)
  withdraw(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string, @ProposalId() proposalId: string): Promise<ProposalView> {
    return this.withdrawProposal.execute({ userId: u.userId, sessionId, proposalId });
  }

  @Post('agreement/finalise')
  @HttpCode(200)
  finalise(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string): Promise<AgreementView> {
    return this.finaliseText.execute({ userId: u.userId, sessionId });
  }

  @Post('agreement/sign-off')
  @HttpCode(200)
  signOff(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @Body() dto: SignOffDto,
    @Req() req: Request,
  ): Promise<AgreementView> {
    return this.signOffText.execute({
      userId: u.userId,
      sessionId,
      sha256: dto.sha256,
      password: dto.password,
      clientAddress: clientAddress(req),
    });
  }

  @Get('agreement/export')
  async export(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @Query() q: ExportQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const out = await this.queries.export({ userId: u.userId, sessionId, format: q.format ?? 'markdown' });
    // A download, never a page of this origin (the HTML export above all): attachment, with its
    // own type and nosniff; express writes filename* (RFC 5987) should a name ever be non-ASCII.
    res.attachment(out.filename).type(out.contentType).send(out.body);
  }

  /** A live draft's whole state, as one Yjs update (base64). */
  @Get('drafts/mediators')
  async mediatorsDraft(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string): Promise<{ update: string }> {
    return {
      update: Buffer.from(await this.drafts.fetch({ userId: u.userId, sessionId, draft: { kind: 'mediators' } })).toString('base64'),
    };
  }

  @Get('drafts/parties/:partyId')
  async partyDraft(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @PartyId() partyId: string,
  ): Promise<{ update: string }> {
    return {
      update: Buffer.from(await this.drafts.fetch({ userId: u.userId, sessionId, draft: { kind: 'party', partyId } })).toString('base64'),
    };
  }
}
