import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type {
  ConsultationResults,
  ConsultationSummaryView,
  ConsultationView,
  FrozenVerification,
  IssuedCodes,
  ModerationItem,
} from '@parley/contracts';
import { CurrentUser, JwtAuthGuard, type AuthenticatedUser } from '@parley/auth';
import { UuidParam } from '@parley/platform';
import { ConsultationQueries } from '../../application/consultation-queries';
import {
  CloseConsultationUseCase,
  CreateConsultationUseCase,
  IssueCodesUseCase,
  ModerateStatementUseCase,
  TableSummaryUseCase,
} from '../../application/run-consultation.use-cases';
import {
  CreateConsultationDto,
  IssueCodesDto,
  ModerateDto,
  ResultsQueryDto,
  StatementsQueryDto,
  TableSummaryDto,
} from './consultation.dto';

const SessionId = () => Param('sessionId', new UuidParam('sessionId'));
const ConsultationId = () => Param('consultationId', new UuidParam('consultationId'));

/** The mediators run their session's consultations; everyone seated in it reads the tabled summaries. */
@ApiTags('consultation')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('sessions/:sessionId')
export class ConsultationsController {
  constructor(
    private readonly queries: ConsultationQueries,
    private readonly createConsultation: CreateConsultationUseCase,
    private readonly issueCodes: IssueCodesUseCase,
    private readonly moderateStatement: ModerateStatementUseCase,
    private readonly closeConsultation: CloseConsultationUseCase,
    private readonly tableSummary: TableSummaryUseCase,
  ) {}

  @Post('consultations')
  create(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @Body() dto: CreateConsultationDto,
  ): Promise<ConsultationView> {
    return this.createConsultation.execute({ userId: u.userId, sessionId, ...dto });
  }

  @Get('consultations')
  list(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string): Promise<ConsultationView[]> {
    return this.queries.list({ userId: u.userId, sessionId });
  }

  @Get('consultations/:consultationId')
  one(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @ConsultationId() consultationId: string,
  ): Promise<ConsultationView> {
    return this.queries.one({ userId: u.userId, sessionId, consultationId });
  }

  @Post('consultations/:consultationId/groups/:groupId/codes')
  codes(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @ConsultationId() consultationId: string,
    @Param('groupId', new UuidParam('groupId')) groupId: string,
    @Body() dto: IssueCodesDto,
  ): Promise<IssuedCodes> {
    return this.issueCodes.execute({ userId: u.userId, sessionId, consultationId, groupId, count: dto.count });
  }

  @Get('consultations/:consultationId/statements')
  statements(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @ConsultationId() consultationId: string,
    @Query() q: StatementsQueryDto,
  ): Promise<ModerationItem[]> {
    return this.queries.statements({ userId: u.userId, sessionId, consultationId, status: q.status });
  }

  @Post('consultations/:consultationId/statements/:statementId/moderation')
  @HttpCode(200)
  moderate(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @ConsultationId() consultationId: string,
    @Param('statementId', new UuidParam('statementId')) statementId: string,
    @Body() dto: ModerateDto,
  ): Promise<ModerationItem> {
    return this.moderateStatement.execute({ userId: u.userId, sessionId, consultationId, statementId, ...dto });
  }

  @Get('consultations/:consultationId/results')
  results(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @ConsultationId() consultationId: string,
    @Query() q: ResultsQueryDto,
  ): Promise<ConsultationResults> {
    return this.queries.results({ userId: u.userId, sessionId, consultationId, k: q.k });
  }

  @Post('consultations/:consultationId/close')
  @HttpCode(200)
  close(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @ConsultationId() consultationId: string,
  ): Promise<ConsultationView> {
    return this.closeConsultation.execute({ userId: u.userId, sessionId, consultationId });
  }

  @Get('consultations/:consultationId/results/verification')
  verification(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @ConsultationId() consultationId: string,
  ): Promise<FrozenVerification> {
    return this.queries.verification({ userId: u.userId, sessionId, consultationId });
  }

  @Post('consultations/:consultationId/summaries')
  table(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @ConsultationId() consultationId: string,
    @Body() dto: TableSummaryDto,
  ): Promise<ConsultationSummaryView> {
    return this.tableSummary.execute({ userId: u.userId, sessionId, consultationId, ...dto });
  }

  @Get('consultation-summaries')
  summaries(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string): Promise<ConsultationSummaryView[]> {
    return this.queries.summaries({ userId: u.userId, sessionId });
  }
}
