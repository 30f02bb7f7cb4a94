import { Injectable, OnModuleInit } from '@nestjs/common';
import { validateEmptyPayload, validatePayload } from '@parley/platform';
import { SocketRouter, answerOn, type ParleySocket } from '@parley/sessions';
import { MediaSessions } from '../../application/media-sessions';
import {
  MediaAnswerDto,
  MediaJoinDto,
  MediaLayerDto,
  MediaPublishDto,
  MediaStateDto,
  MediaSubscribeDto,
  MediaTakeChannelDto,
} from '../http/media.dto';

/** Media signalling over Socket.IO: every SDP goes through Parley, decided on stored membership. */
@Injectable()
export class MediaSocketRoutes implements OnModuleInit {
  constructor(
    private readonly router: SocketRouter,
    private readonly media: MediaSessions,
  ) {}

  onModuleInit(): void {
    const joined = (s: ParleySocket) => ({ userId: s.data.userId, sessionId: s.data.sessionId! });
    this.router.on('media.join', (s, body) =>
      answerOn(s.data, true, () => this.media.join({ ...joined(s), ...validatePayload(MediaJoinDto, body ?? {}) })),
    );
    this.router.on('media.publish', (s, body) =>
      answerOn(s.data, true, () => this.media.publish({ ...joined(s), ...validatePayload(MediaPublishDto, body) })),
    );
    this.router.on('media.subscribe', (s, body) =>
      answerOn(s.data, true, () => this.media.subscribe({ ...joined(s), ...validatePayload(MediaSubscribeDto, body ?? {}) })),
    );
    this.router.on('media.answer', (s, body) =>
      answerOn(s.data, true, () => this.media.answer({ ...joined(s), ...validatePayload(MediaAnswerDto, body) })),
    );
    this.router.on('media.state', (s, body) =>
      answerOn(s.data, true, () => this.media.state({ ...joined(s), ...validatePayload(MediaStateDto, body) })),
    );
    this.router.on('media.take-channel', (s, body) =>
      answerOn(s.data, true, () => this.media.takeChannel({ ...joined(s), ...validatePayload(MediaTakeChannelDto, body) })),
    );
    this.router.on('media.layer', (s, body) =>
      answerOn(s.data, true, () => this.media.layer({ ...joined(s), ...validatePayload(MediaLayerDto, body) })),
    );
    this.router.on('media.leave', (s, body) =>
      answerOn(s.data, true, () => {
        validateEmptyPayload(body);
        return this.media.leave(joined(s));
      }),
    );
  }
}
