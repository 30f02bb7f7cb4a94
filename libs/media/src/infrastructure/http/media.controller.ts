import { Body, Controller, Get, Param, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { MediaRoomSettingsView, MediaStatusView } from '@parley/contracts';
import { CurrentUser, JwtAuthGuard, type AuthenticatedUser } from '@parley/auth';
import { UuidParam } from '@parley/platform';
import { MediaSessions } from '../../application/media-sessions';
import { RoomMediaSettingsUseCase } from '../../application/room-media-settings.use-case';
import { RoomMediaSettingsDto } from './media.dto';

@ApiTags('media')
@Controller()
export class MediaController {
  constructor(
    private readonly media: MediaSessions,
    private readonly settings: RoomMediaSettingsUseCase,
  ) {}

  /** Whether this platform has an SFU (and if not, why): clients show it instead of video. */
  @Get('media/status')
  status(): MediaStatusView {
    return this.media.status();
  }

  @ApiBearerAuth()
  @UseGuards(JwtAuthGuard)
  @Get('sessions/:sessionId/rooms/:roomId/media')
  read(
    @CurrentUser() u: AuthenticatedUser,
    @Param('sessionId', new UuidParam('sessionId')) sessionId: string,
    @Param('roomId', new UuidParam('roomId')) roomId: string,
  ): Promise<MediaRoomSettingsView> {
    return this.settings.read({ userId: u.userId, sessionId, roomId });
  }

  @ApiBearerAuth()
  @UseGuards(JwtAuthGuard)
  @Put('sessions/:sessionId/rooms/:roomId/media')
  change(
    @CurrentUser() u: AuthenticatedUser,
    @Param('sessionId', new UuidParam('sessionId')) sessionId: string,
    @Param('roomId', new UuidParam('roomId')) roomId: string,
    @Body() dto: RoomMediaSettingsDto,
  ): Promise<MediaRoomSettingsView> {
    return this.settings.change({ userId: u.userId, sessionId, roomId, audioOnly: dto.audioOnly, bitrateKbps: dto.bitrateKbps ?? null });
  }
}
