import { Module } from '@nestjs/common';
import { AuditModule } from '@parley/audit';
import { AuthModule } from '@parley/auth';
import { AddPartyUseCase } from '../application/add-party.use-case';
import { ChangeRoleUseCase } from '../application/change-role.use-case';
import { ChangeStatusUseCase } from '../application/change-status.use-case';
import { CreateSessionUseCase } from '../application/create-session.use-case';
import { InvitationsUseCases } from '../application/invitations.use-cases';
import { JoinSessionUseCase } from '../application/join-session.use-case';
import { JointRoomsUseCases } from '../application/joint-rooms.use-cases';
import { MembershipFanoutGuard } from '../application/membership-fanout.guard';
import { PlaceParticipantUseCase } from '../application/place-participant.use-case';
import { PlacementListeners } from '../application/placement-listeners';
import { PlacementStore } from '../application/placement-store';
import { PresenceReader } from '../application/presence-reader';
import { REALTIME_CHANNEL } from '../application/realtime-channel';
import { RoomNotifier } from '../application/room-notifier';
import { SessionDirectory } from '../application/session-directory';
import { SessionRoster } from '../application/session-roster';
import { SessionStore } from '../application/session-store';
import { FloorStore } from '../application/floor-store';
import { InvitationStore } from '../application/invitation-store';
import { SessionQueries } from '../application/session-queries';
import { UpdateSessionUseCase } from '../application/update-session.use-case';
import { AccountSeats } from '../application/account-seats';
import { FloorUseCases } from '../application/floor.use-cases';
import { TypeOrmFloorStore } from './persistence/typeorm-floor-store';
import { TypeOrmInvitationStore } from './persistence/typeorm-invitation-store';
import { TypeOrmPlacementStore } from './persistence/typeorm-placement-store';
import { TypeOrmSessionDirectory } from './persistence/typeorm-session-directory';
import { TypeOrmSessionStore } from './persistence/typeorm-session-store';
import { FloorSocketRoutes } from './realtime/floor.socket-routes';
import { InvitationsController } from './http/invitations.controller';
import { SessionsController } from './http/sessions.controller';
import { MembershipHeal } from './realtime/membership-heal';
import { SessionsGateway } from './realtime/sessions.gateway';
import { SocketIoChannel } from './realtime/socket-io.channel';
import { SocketRouter } from './realtime/socket-router';

@Module({
  imports: [AuthModule, AuditModule],
  controllers: [SessionsController, InvitationsController],
  providers: [
    SocketIoChannel,
    SocketRouter,
    { provide: REALTIME_CHANNEL, useExisting: SocketIoChannel },
    TypeOrmSessionDirectory,
    { provide: SessionRoster, useExisting: TypeOrmSessionDirectory },
    { provide: SessionDirectory, useExisting: TypeOrmSessionDirectory },
    { provide: SessionStore, useClass: TypeOrmSessionStore },
    { provide: PlacementStore, useClass: TypeOrmPlacementStore },
    { provide: FloorStore, useClass: TypeOrmFloorStore },
    { provide: InvitationStore, useClass: TypeOrmInvitationStore },
    PresenceReader,
    PlacementListeners,
    RoomNotifier,
    MembershipFanoutGuard,
    CreateSessionUseCase,
    UpdateSessionUseCase,
    AddPartyUseCase,
    ChangeStatusUseCase,
    PlaceParticipantUseCase,
    ChangeRoleUseCase,
    JointRoomsUseCases,
    InvitationsUseCases,
    JoinSessionUseCase,
    SessionQueries,
    SessionsGateway,
    MembershipHeal,
    AccountSeats,
    FloorUseCases,
    FloorSocketRoutes,
  ],
  exports: [SessionDirectory, RoomNotifier, REALTIME_CHANNEL, PresenceReader, PlacementListeners, SocketRouter],
})
export class SessionsModule {}
