import { Module } from '@nestjs/common';
import { AuditModule } from '@parley/audit';
import { AuthModule } from '@parley/auth';
import { SessionsModule } from '@parley/sessions';
import { AgreementChanges } from '../application/agreement-changes';
import { AgreementPublisher } from '../application/agreement-publisher';
import { AgreementQueries } from '../application/agreement-queries';
import { MarkClauseUseCase, SupportOptionUseCase } from '../application/clause-positions.use-cases';
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
import { AgreementStore } from './agreement-store';
import { DraftStore } from './draft-store';
import { PasswordReauthentication } from './password-reauthentication';
import { AgreementController } from './http/agreement.controller';
import { AgreementSocketRoutes } from './realtime/agreement.socket-routes';

@Module({
  imports: [AuthModule, AuditModule, SessionsModule],
  controllers: [AgreementController],
  providers: [
    AgreementStore,
    DraftStore,
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
