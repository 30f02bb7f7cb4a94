import { Module } from '@nestjs/common';
import { AuditModule } from '@parley/audit';
import { AuthModule } from '@parley/auth';
import { SessionsModule } from '@parley/sessions';
import { AgreementChanges } from '../application/agreement-changes';
import { AgreementPublisher } from '../application/agreement-publisher';
import { AgreementQueries } from '../application/agreement-queries';
import { AgreementStore } from '../application/agreement-store';
import { MarkClauseUseCase, SupportOptionUseCase } from '../application/clause-positions.use-cases';
import { DraftStore } from '../application/draft-store';
import { EditTextUseCase } from '../application/edit-text.use-case';
import { LiveDrafts } from '../application/live-drafts';
import {
  AdoptProposalUseCase,
  MakeProposalUseCase,
  RespondToProposalUseCase,
  WithdrawProposalUseCase,
} from '../application/proposals.use-cases';
import { Reauthentication } from '../application/reauthentication';
import { FinaliseAgreementUseCase, SignOffUseCase } from '../application/sign-off.use-cases';
import { TypeOrmDraftStore } from './draft-store';
import { PasswordReauthentication } from './password-reauthentication';
import { AgreementController } from './http/agreement.controller';
import { AgreementSocketRoutes } from './realtime/agreement.socket-routes';
import { TypeOrmAgreementStore } from './typeorm-agreement-store';

@Module({
  imports: [AuthModule, AuditModule, SessionsModule],
  controllers: [AgreementController],
  providers: [
    { provide: AgreementStore, useClass: TypeOrmAgreementStore },
    { provide: DraftStore, useClass: TypeOrmDraftStore },
    AgreementChanges,
    AgreementPublisher,
    AgreementQueries,
    EditTextUseCase,
    MakeProposalUseCase,
    RespondToProposalUseCase,
    AdoptProposalUseCase,
    WithdrawProposalUseCase,
    SupportOptionUseCase,
    MarkClauseUseCase,
    FinaliseAgreementUseCase,
    SignOffUseCase,
    { provide: Reauthentication, useClass: PasswordReauthentication },
    LiveDrafts,
    AgreementSocketRoutes,
  ],
})
export class AgreementModule {}
