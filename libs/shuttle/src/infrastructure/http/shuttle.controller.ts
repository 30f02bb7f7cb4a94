import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { RoomEvent, RoomHistory, ShuttleMessageView } from '@parley/contracts';
import { CurrentUser, JwtAuthGuard, type AuthenticatedUser } from '@parley/auth';
import { UuidParam } from '@parley/platform';
import { PostChatMessageUseCase } from '../../application/post-chat-message.use-case';
import { ReadRoomHistoryUseCase } from '../../application/read-room-history.use-case';
import { DecideShuttleMessageUseCase } from '../../application/decide-shuttle-message.use-case';
import { ShuttleQueries } from '../../application/shuttle-queries';
import { SubmitShuttleMessageUseCase } from '../../application/submit-shuttle-message.use-case';
import { WithdrawShuttleMessageUseCase } from '../../application/withdraw-shuttle-message.use-case';
import {
  ChatPostDto,
  HistoryQueryDto,
  ShuttleDecideDto,
  ShuttleListQueryDto,
  ShuttleSubmitDto,
  parseStatuses,
  toDecision,
} from './shuttle.dto';

const SessionId = () => Param('sessionId', new UuidParam('sessionId'));
const RoomId = () => Param('roomId', new UuidParam('roomId'));
const MessageId = () => Param('messageId', new UuidParam('messageId'));

@ApiTags('chat and shuttle')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('sessions/:sessionId')
export class ShuttleController {
  constructor(
    private readonly postChat: PostChatMessageUseCase,
    private readonly history: ReadRoomHistoryUseCase,
    private readonly submit: SubmitShuttleMessageUseCase,
    private readonly withdraw: WithdrawShuttleMessageUseCase,
    private readonly decide: DecideShuttleMessageUseCase,
    private readonly queries: ShuttleQueries,
  ) {}

  @Post('rooms/:roomId/messages')
  post(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @RoomId() roomId: string,
    @Body() dto: ChatPostDto,
  ): Promise<RoomEvent> {
    return this.postChat.execute({ userId: u.userId, sessionId, roomId, ...dto });
  }

  @Get('rooms/:roomId/events')
  events(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @RoomId() roomId: string,
    @Query() q: HistoryQueryDto,
  ): Promise<RoomHistory> {
    return this.history.execute({ userId: u.userId, sessionId, roomId, ...q });
  }

  @Post('shuttle')
  send(@CurrentUser() u: AuthenticatedUser, @SessionId() sessionId: string, @Body() dto: ShuttleSubmitDto): Promise<ShuttleMessageView> {
    return this.submit.execute({ userId: u.userId, sessionId, ...dto });
  }

  @Get('shuttle')
  list(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @Query() q: ShuttleListQueryDto,
  ): Promise<ShuttleMessageView[]> {
    return this.queries.list({ userId: u.userId, sessionId, status: parseStatuses(q.status) });
  }

  @Post('shuttle/:messageId/withdraw')
  @HttpCode(200)
  takeBack(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @MessageId() messageId: string,
  ): Promise<ShuttleMessageView> {
    return this.withdraw.execute({ userId: u.userId, sessionId, messageId });
  }

  /** `…/decision` is the path of the previous release, accepted until the next one (deprecated). */
  @Post(['shuttle/:messageId/decide', 'shuttle/:messageId/decision'])
  @HttpCode(200)
  decideOn(
    @CurrentUser() u: AuthenticatedUser,
    @SessionId() sessionId: string,
    @MessageId() messageId: string,
    @Body() dto: ShuttleDecideDto,
  ): Promise<ShuttleMessageView> {
    return this.decide.execute({ userId: u.userId, sessionId, messageId, decision: toDecision(dto) });
  }
}
