import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type {
  BulkMoveResult,
  LocationChanged,
  ParticipantView,
  PartyView,
  PresenceOverview,
  RoomView,
  SessionSummary,
  SessionView,
  StatusChanged,
} from '@parley/contracts';
import { CurrentUser, JwtAuthGuard, type AuthenticatedUser } from '@parley/auth';
import { UuidParam } from '@parley/platform';
import { AddPartyUseCase } from '../../application/add-party.use-case';
import { ChangeRoleUseCase } from '../../application/change-role.use-case';
import { ChangeStatusUseCase } from '../../application/change-status.use-case';
import { CreateSessionUseCase } from '../../application/create-session.use-case';
import { JointRoomsUseCases } from '../../application/joint-rooms.use-cases';
import { PlaceParticipantUseCase } from '../../application/place-participant.use-case';
import { SessionQueries } from '../../application/session-queries';
import { UpdateSessionUseCase } from '../../application/update-session.use-case';
import {
  AddPartyDto,
  BulkMoveDto,
  ChangeRoleDto,
  ChangeStatusDto,
  CreateSessionDto,
  OpenJointRoomDto,
  PlaceDto,
  UpdateSessionDto,
} from './sessions.dto';

const SessionId = () => Param('sessionId', new UuidParam('sessionId'));
const ParticipantId = () => Param('participantId', new UuidParam('participantId'));

@ApiTags('sessions')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly createSession: CreateSessionUseCase,
    private readonly updateSession: UpdateSessionUseCase,
    private readonly addParty: AddPartyUseCase,
    private readonly changeStatus: ChangeStatusUseCase,
    private readonly place: PlaceParticipantUseCase,
    private readonly changeRole: ChangeRoleUseCase,
    private readonly jointRooms: JointRoomsUseCases,
    private readonly queries: SessionQueries,
  ) {}

  @Post()
  async create(@CurrentUser() u: AuthenticatedUser, @Body() dto: CreateSessionDto): Promise<SessionView> {
    const { sessionId } = await this.createSession.execute({ userId: u.userId, ...dto });
    return this.queries.session(u.userId, sessionId);
  }

  @Get()
  list(@CurrentUser() u: AuthenticatedUser): Promise<SessionSummary[]> {
    return this.queries.mySessions(u.userId);
  }

  @Get(':sessionId')
  get(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string): Promise<SessionView> {
    return this.queries.session(u.userId, sessionId);
  }

  @Patch(':sessionId')
  async update(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string, @Body() dto: UpdateSessionDto): Promise<SessionView> {
    await this.updateSession.execute({ userId: u.userId, sessionId, ...dto });
    return this.queries.session(u.userId, sessionId);
  }

  @Post(':sessionId/status')
  @HttpCode(200)
  status(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string, @Body() dto: ChangeStatusDto): Promise<StatusChanged> {
    return this.changeStatus.execute({ userId: u.userId, sessionId, ...dto });
  }

  @Post(':sessionId/parties')
  party(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string, @Body() dto: AddPartyDto): Promise<PartyView> {
    return this.addParty.execute({ userId: u.userId, sessionId, name: dto.name });
  }

  @Get(':sessionId/participants')
  participants(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string): Promise<ParticipantView[]> {
    return this.queries.participants(u.userId, sessionId);
  }

  @Patch(':sessionId/participants/:participantId/role')
  role(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @ParticipantId() participantId: string,
    @Body() dto: ChangeRoleDto,
  ): Promise<ParticipantView> {
    return this.changeRole.execute({ userId: u.userId, sessionId, participantId, ...dto });
  }

  @Post(':sessionId/participants/:participantId/admit')
  @HttpCode(200)
  admit(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @ParticipantId() participantId: string,
    @Body() dto: PlaceDto,
  ): Promise<LocationChanged> {
    return this.place.execute({ userId: u.userId, sessionId, participantId, kind: 'admit', roomId: dto.roomId });
  }

  @Post(':sessionId/participants/:participantId/move')
  @HttpCode(200)
  move(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @ParticipantId() participantId: string,
    @Body() dto: PlaceDto,
  ): Promise<LocationChanged> {
    return this.place.execute({ userId: u.userId, sessionId, participantId, kind: 'move', roomId: dto.roomId });
  }

  @Post(':sessionId/participants/:participantId/lobby')
  @HttpCode(200)
  lobby(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @ParticipantId() participantId: string,
  ): Promise<LocationChanged> {
    return this.place.execute({ userId: u.userId, sessionId, participantId, kind: 'send_to_lobby' });
  }

  /**
   * Several moves at once (mediators): all decided first against the rule of a single move; one
   * refused refuses them all (nothing moves, details.refused names who and why); otherwise all are
   * applied together, each audited as a single move.
   */
  @Post(':sessionId/moves')
  @HttpCode(200)
  moveMany(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string, @Body() dto: BulkMoveDto): Promise<BulkMoveResult> {
    return this.place.executeMany({ userId: u.userId, sessionId, kind: 'moves', moves: dto.moves });
  }

  /** Each delegation to its caucus: every seated party member not there yet (the lobby waits). */
  @Post(':sessionId/moves/caucuses')
  @HttpCode(200)
  toCaucuses(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string): Promise<BulkMoveResult> {
    return this.place.executeMany({ userId: u.userId, sessionId, kind: 'caucuses' });
  }

  /** Everyone to the plenary: every seated participant elsewhere, mediators included. */
  @Post(':sessionId/moves/plenary')
  @HttpCode(200)
  toPlenary(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string): Promise<BulkMoveResult> {
    return this.place.executeMany({ userId: u.userId, sessionId, kind: 'plenary' });
  }

  @Get(':sessionId/presence')
  presence(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string): Promise<PresenceOverview> {
    return this.queries.overview(u.userId, sessionId);
  }

  @Post(':sessionId/rooms')
  openRoom(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string, @Body() dto: OpenJointRoomDto): Promise<RoomView> {
    return this.jointRooms.open({ userId: u.userId, sessionId, ...dto });
  }

  @Delete(':sessionId/rooms/:roomId')
  @HttpCode(204)
  closeRoom(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @Param('roomId', new UuidParam('roomId')) roomId: string,
  ): Promise<void> {
    return this.jointRooms.close({ userId: u.userId, sessionId, roomId });
  }

  @Get(':sessionId/audit')
  audit(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string) {
    return this.queries.auditTrail(u.userId, sessionId);
  }
}
