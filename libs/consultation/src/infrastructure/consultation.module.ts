import { Module } from '@nestjs/common';
import { AuditModule } from '@parley/audit';
import { AuthModule } from '@parley/auth';
import { SessionsModule } from '@parley/sessions';
import { ConsultationQueries } from '../application/consultation-queries';
import { ConsultationStore } from '../application/consultation-store';
import { MediatorAccess } from '../application/mediator-access';
import { RespondentUseCases } from '../application/respondents.use-cases';
import {
  CloseConsultationUseCase,
  CreateConsultationUseCase,
  IssueCodesUseCase,
  ModerateStatementUseCase,
  TableSummaryUseCase,
} from '../application/run-consultation.use-cases';
import { ConsultationsController } from './http/consultations.controller';
import { RespondentLimitGuard } from './http/respondent-limit.guard';
import { RespondentsController } from './http/respondents.controller';
import { TypeOrmConsultationStore } from './typeorm-consultation-store';

@Module({
  imports: [AuthModule, AuditModule, SessionsModule],
  controllers: [ConsultationsController, RespondentsController],
  providers: [
    { provide: ConsultationStore, useClass: TypeOrmConsultationStore },
    MediatorAccess,
    ConsultationQueries,
    CreateConsultationUseCase,
    IssueCodesUseCase,
    ModerateStatementUseCase,
    CloseConsultationUseCase,
    TableSummaryUseCase,
    RespondentUseCases,
    RespondentLimitGuard,
  ],
})
export class ConsultationModule {}
