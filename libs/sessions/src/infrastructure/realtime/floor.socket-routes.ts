import { Injectable, OnModuleInit } from '@nestjs/common';
import { validateEmptyPayload, validatePayload } from '@parley/platform';
import { FloorUseCases } from '../../application/floor.use-cases';
import { answerOn } from './answer';
import { HandLowerDto, TimerClearDto, TimerSetDto } from './floor.dto';
import { SocketRouter, type ParleySocket } from './socket-router';

/** Hands and the mediator's clock over Socket.IO: validate, call one use case, answer. */
@Injectable()
export class FloorSocketRoutes implements OnModuleInit {
  constructor(
    private readonly router: SocketRouter,
    private readonly floor: FloorUseCases,
  ) {}

  onModuleInit(): void {
    const joined = (s: ParleySocket) => ({ userId: s.data.userId, sessionId: s.data.sessionId! });
    this.router.on('hand.raise', (s, body) =>
      answerOn(s.data, true, () => {
        validateEmptyPayload(body);
        return this.floor.raise(joined(s));
      }),
    );
    this.router.on('hand.lower', (s, body) =>
      answerOn(s.data, true, () => this.floor.lower({ ...joined(s), ...validatePayload(HandLowerDto, body ?? {}) })),
    );
    this.router.on('timer.set', (s, body) =>
      answerOn(s.data, true, () => this.floor.setTimer({ ...joined(s), ...validatePayload(TimerSetDto, body) })),
    );
    this.router.on('timer.clear', (s, body) =>
      answerOn(s.data, true, () => this.floor.clearTimer({ ...joined(s), ...validatePayload(TimerClearDto, body) })),
    );
    this.router.on('floor.get', (s, body) =>
      answerOn(s.data, true, () => {
        validateEmptyPayload(body);
        return this.floor.floors(joined(s));
      }),
    );
  }
}
