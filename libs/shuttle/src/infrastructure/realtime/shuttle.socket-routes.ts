import { Injectable, OnModuleInit } from '@nestjs/common';
import { validateEmptyPayload, validatePayload } from '@parley/platform';
import { SocketRouter, answerOn, type ParleySocket } from '@parley/sessions';
import { PostChatMessageUseCase } from '../../application/post-chat-message.use-case';
import { ReadRoomHistoryUseCase } from '../../application/read-room-history.use-case';
import { DecideShuttleMessageUseCase } from '../../application/decide-shuttle-message.use-case';
import { ShuttleQueries } from '../../application/shuttle-queries';
import { SubmitShuttleMessageUseCase } from '../../application/submit-shuttle-message.use-case';
import { WithdrawShuttleMessageUseCase } from '../../application/withdraw-shuttle-message.use-case';
import {
  ChatPostPayloadDto,
  HistoryPayloadDto,
  MessageIdPayloadDto,
  ShuttleDecidePayloadDto,
  ShuttleSubmitDto,
  toDecision,
} from '../http/shuttle.dto';

/** Chat and shuttle over Socket.IO: the same use cases as HTTP, answered by acknowledgement. */
@Injectable()
export class ShuttleSocketRoutes implements OnModuleInit {
  constructor(
    private readonly router: SocketRouter,
    private readonly postChat: PostChatMessageUseCase,
    private readonly history: ReadRoomHistoryUseCase,
    private readonly submit: SubmitShuttleMessageUseCase,
    private readonly withdraw: WithdrawShuttleMessageUseCase,
    private readonly decide: DecideShuttleMessageUseCase,
    private readonly queries: ShuttleQueries,
  ) {}

  onModuleInit(): void {
    const joined = (s: ParleySocket) => ({ userId: s.data.userId, sessionId: s.data.sessionId! });
    this.router.on('chat.post', (s, body) =>
      answerOn(s.data, true, () =>
        this.postChat.execute({ ...joined(s), ...validatePayload(ChatPostPayloadDto, body), originSocketId: s.id }),
      ),
    );
    this.router.on('room.history', (s, body) =>
      answerOn(s.data, true, () => this.history.execute({ ...joined(s), ...validatePayload(HistoryPayloadDto, body) })),
    );
    this.router.on('shuttle.submit', (s, body) =>
      answerOn(s.data, true, () => this.submit.execute({ ...joined(s), ...validatePayload(ShuttleSubmitDto, body) })),
    );
    this.router.on('shuttle.withdraw', (s, body) =>
      answerOn(s.data, true, () => this.withdraw.execute({ ...joined(s), ...validatePayload(MessageIdPayloadDto, body) })),
    );
    this.router.on('shuttle.decide', (s, body) =>
      answerOn(s.data, true, () => {
        const { messageId, ...dto } = validatePayload(ShuttleDecidePayloadDto, body);
        return this.decide.execute({ ...joined(s), messageId, decision: toDecision(dto) });
      }),
    );
    this.router.on('shuttle.list', (s, body) =>
      answerOn(s.data, true, () => {
        validateEmptyPayload(body);
        return this.queries.list(joined(s));
      }),
    );
  }
}
