import { Module } from '@nestjs/common';
import { AuditModule } from '@parley/audit';
import { AuthModule } from '@parley/auth';
import { SessionsModule } from '@parley/sessions';
import { CoolingOffScheduler } from '../application/cooling-off.scheduler';
import { PostChatMessageUseCase } from '../application/post-chat-message.use-case';
import { ReadRoomHistoryUseCase } from '../application/read-room-history.use-case';
import { RoomEventSequencer } from '../application/room-event-sequencer';
import { PostingContexts } from '../application/posting-contexts';
import { RoomStreams } from '../application/room-streams';
import { DecideShuttleMessageUseCase } from '../application/decide-shuttle-message.use-case';
import { ShuttlePublisher } from '../application/shuttle-publisher';
import { ShuttleQueries } from '../application/shuttle-queries';
import { ShuttleStore } from '../application/shuttle-store';
import { SubmitShuttleMessageUseCase } from '../application/submit-shuttle-message.use-case';
import { WithdrawShuttleMessageUseCase } from '../application/withdraw-shuttle-message.use-case';
import { ShuttleController } from './http/shuttle.controller';
import { TypeOrmShuttleStore } from './persistence/typeorm-shuttle-store';
import { ShuttleSocketRoutes } from './realtime/shuttle.socket-routes';
import { SqlPostingContexts } from './posting-context';
import { SqlRoomStreams } from './room-streams';

@Module({
  imports: [AuthModule, AuditModule, SessionsModule],
  controllers: [ShuttleController],
  providers: [
    { provide: RoomStreams, useClass: SqlRoomStreams },
    { provide: PostingContexts, useClass: SqlPostingContexts },
    { provide: ShuttleStore, useClass: TypeOrmShuttleStore },
    RoomEventSequencer,
    ShuttlePublisher,
    CoolingOffScheduler,
    PostChatMessageUseCase,
    ReadRoomHistoryUseCase,
    SubmitShuttleMessageUseCase,
    WithdrawShuttleMessageUseCase,
    DecideShuttleMessageUseCase,
    ShuttleQueries,
    ShuttleSocketRoutes,
  ],
})
export class ShuttleModule {}
