import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsOptionalNotNull } from '@parley/platform';
import { LANGUAGE_CODE, MEDIA_KINDS, VIDEO_LAYERS, type MediaKind, type VideoLayer } from '@parley/contracts';

/** Longest SDP accepted: a session description with simulcast and a screen share stays far below. */
const MAX_SDP = 60_000;

export class MediaJoinDto {
  @ApiPropertyOptional({ description: 'Low bandwidth: receive and send audio only' })
  @IsOptionalNotNull()
  @IsBoolean()
  audioOnly?: boolean;
}

export class MediaPublishDto {
  @ApiProperty({ description: "The browser's SDP offer" })
  @IsString()
  @MinLength(10)
  @MaxLength(MAX_SDP)
  offerSdp: string;

  @ApiProperty({ enum: MEDIA_KINDS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @IsIn(MEDIA_KINDS, { each: true })
  kinds: MediaKind[];

  @ApiPropertyOptional({
    description:
      "An interpreter's interpretation channel: the declared language they interpret into (one of their pair), kinds ['audio'] only",
    example: 'fr',
  })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(16)
  @Matches(LANGUAGE_CODE)
  channel?: string;
}

export class MediaTakeChannelDto {
  @ApiProperty({ description: 'The channel (language) whose active turn the interpreter takes', example: 'fr' })
  @IsString()
  @MaxLength(16)
  @Matches(LANGUAGE_CODE)
  channel: string;
}

export class MediaSubscribeDto {
  @ApiPropertyOptional({ description: 'The feeds to receive (default: every feed of the room)' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  feedIds?: string[];
}

export class MediaAnswerDto {
  @ApiProperty({ description: "The browser's SDP answer to the subscription offer" })
  @IsString()
  @MinLength(10)
  @MaxLength(MAX_SDP)
  answerSdp: string;
}

export class MediaLayerDto {
  @ApiProperty({ description: 'The simulcast layer to receive of every camera in the room', enum: VIDEO_LAYERS })
  @IsIn(VIDEO_LAYERS)
  layer: VideoLayer;
}

export class MediaStateDto {
  @ApiProperty({ description: 'The microphone is on' })
  @IsBoolean()
  micOn: boolean;

  @ApiProperty({ description: 'The camera is on' })
  @IsBoolean()
  cameraOn: boolean;
}

export class RoomMediaSettingsDto {
  @ApiProperty()
  @IsBoolean()
  audioOnly: boolean;

  @ApiPropertyOptional({ nullable: true, minimum: 32, maximum: 10_000, description: 'kbit/s per publisher; null: the default' })
  @IsOptional()
  @IsInt()
  @Min(32)
  @Max(10_000)
  bitrateKbps?: number | null;
}
