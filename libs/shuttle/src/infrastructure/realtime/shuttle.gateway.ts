import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { validateEmptyPayload, validatePayload } from '@parley/platform';
import { answerOn, type SocketData } from '@parley/sessions';
import { PostChatMessageUseCase } from '../../application/post-chat-message.use-case';
import { ReadRoomHistoryUseCase } from '../../application/read-room-history.use-case';
import { ReviewShuttleMessageUseCase } from '../../application/review-shuttle-message.use-case';
import { ShuttleQueries } from '../../application/shuttle-queries';
import { SubmitShuttleMessageUseCase } from '../../application/submit-shuttle-message.use-case';
import { WithdrawShuttleMessageUseCase } from '../../application/withdraw-shuttle-message.use-case';
import { ChatPostPayloadDto, HistoryPayloadDto, MessageIdPayloadDto, ShuttleDecidePayloadDto, ShuttleSubmitDto, toDecision } from '../http/shuttle.dto';

type ParleySocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;

/** Chat and shuttle over Socket.IO: the same use cases as HTTP, answered by acknowledgement. */
@WebSocketGateway()
export class ShuttleGateway {
  constructor(
    private readonly postChat: PostChatMessageUseCase,
    private readonly history: ReadRoomHistoryUseCase,
    private readonly submit: SubmitShuttleMessageUseCase,
    private readonly withdraw: WithdrawShuttleMessageUseCase,
    private readonly review: ReviewShuttleMessageUseCase,
    private readonly queries: ShuttleQueries,
  ) {}

  @SubscribeMessage('chat.post')
  chat(@ConnectedSocket() s: ParleySocket, @MessageBody() body: unknown) {
    return answerOn(s.data, true, () => this.postChat.execute({ userId: s.data.userId, sessionId: s.data.sessionId!, ...validatePayload(ChatPostPayloadDto, body) }));
  }

  @SubscribeMessage('room.history')
  read(@ConnectedSocket() s: ParleySocket, @MessageBody() body: unknown) {
    return answerOn(s.data, true, () => this.history.execute({ userId: s.data.userId, sessionId: s.data.sessionId!, ...validatePayload(HistoryPayloadDto, body) }));
  }

  @SubscribeMessage('shuttle.submit')
  send(@ConnectedSocket() s: ParleySocket, @MessageBody() body: unknown) {
    return answerOn(s.data, true, () => this.submit.execute({ userId: s.data.userId, sessionId: s.data.sessionId!, ...validatePayload(ShuttleSubmitDto, body) }));
  }

  @SubscribeMessage('shuttle.withdraw')
  takeBack(@ConnectedSocket() s: ParleySocket, @MessageBody() body: unknown) {
    return answerOn(s.data, true, () => this.withdraw.execute({ userId: s.data.userId, sessionId: s.data.sessionId!, ...validatePayload(MessageIdPayloadDto, body) }));
  }

  @SubscribeMessage('shuttle.decide')
  decide(@ConnectedSocket() s: ParleySocket, @MessageBody() body: unknown) {
    return answerOn(s.data, true, () => {
      const { messageId, ...dto } = validatePayload(ShuttleDecidePayloadDto, body);
      return this.review.execute({ userId: s.data.userId, sessionId: s.data.sessionId!, messageId, decision: toDecision(dto) });
    });
  }

  @SubscribeMessage('shuttle.list')
  list(@ConnectedSocket() s: ParleySocket, @MessageBody() body: unknown) {
    return answerOn(s.data, true, () => {
      validateEmptyPayload(body);
      return this.queries.list({ userId: s.data.userId, sessionId: s.data.sessionId! });
    });
  }
}
