import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, IsUUID, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { CONVEY_MODES, SHUTTLE_LABELS, SHUTTLE_STATUSES, type ConveyMode, type ShuttleLabel, type ShuttleStatus } from '@parley/contracts';
import { DomainError, INT4_MAX, IsOptionalNotNull } from '@parley/platform';
import { MAX_MESSAGE_LENGTH, type MediatorDecision } from '../../domain';

const CLIENT_KEY = /^[A-Za-z0-9_-]{8,64}$/;
const clientKeyMessage = { message: 'clientMessageId must be 8–64 letters, digits, "-" or "_" (a UUID will do)' };

export class ChatPostDto {
  @ApiProperty({ maxLength: MAX_MESSAGE_LENGTH })
  @IsString()
  @Length(1, MAX_MESSAGE_LENGTH)
  text: string;

  @ApiProperty({ description: 'Idempotency key: a retry with the same key is stored once' })
  @IsString()
  @Matches(CLIENT_KEY, clientKeyMessage)
  clientMessageId: string;
}

export class ChatPostPayloadDto extends ChatPostDto {
  @IsUUID()
  roomId: string;
}

export class HistoryQueryDto {
  @ApiPropertyOptional({ description: 'Events after this seq, oldest first (catching up)' })
  @IsOptionalNotNull()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(INT4_MAX)
  afterSeq?: number;

  @ApiPropertyOptional({ description: 'Events before this seq, newest first (scrolling back)' })
  @IsOptionalNotNull()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  beforeSeq?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptionalNotNull()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class HistoryPayloadDto extends HistoryQueryDto {
  @IsUUID()
  roomId: string;
}

export class ShuttleSubmitDto {
  @ApiProperty({ maxLength: MAX_MESSAGE_LENGTH })
  @IsString()
  @Length(1, MAX_MESSAGE_LENGTH)
  text: string;

  @ApiProperty({ enum: SHUTTLE_LABELS })
  @IsIn(SHUTTLE_LABELS)
  label: ShuttleLabel;

  @ApiPropertyOptional({ description: 'The party it may be conveyed to (label conveyable)' })
  @IsOptionalNotNull()
  @IsUUID()
  conveyToPartyId?: string;

  @ApiProperty()
  @IsString()
  @Matches(CLIENT_KEY, clientKeyMessage)
  clientMessageId: string;
}

export class ShuttleDecideDto {
  @ApiProperty({ enum: ['convey', 'hold', 'decline'] })
  @IsIn(['convey', 'hold', 'decline'])
  decision: 'convey' | 'hold' | 'decline';

  @ApiPropertyOptional({ enum: CONVEY_MODES })
  @IsOptionalNotNull()
  @IsIn(CONVEY_MODES)
  mode?: ConveyMode;

  @ApiPropertyOptional({ description: "The wording to convey (edited, or as the mediator's own suggestion)" })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, MAX_MESSAGE_LENGTH)
  text?: string;

  @ApiPropertyOptional({ description: "Why it is declined (shown to the sender's delegation)" })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 2000)
  reason?: string;
}

export class ShuttleDecidePayloadDto extends ShuttleDecideDto {
  @IsUUID()
  messageId: string;
}

export class MessageIdPayloadDto {
  @IsUUID()
  messageId: string;
}

export class ShuttleListQueryDto {
  @ApiPropertyOptional({ enum: SHUTTLE_STATUSES, isArray: true, description: 'Comma-separated' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(100)
  status?: string;
}

/** The request's wording → the domain's decision, naming the missing field. */
export function toDecision(dto: ShuttleDecideDto): MediatorDecision {
  switch (dto.decision) {
    case 'hold':
      return { kind: 'hold' };
    case 'decline':
      if (!dto.reason) throw new DomainError('VALIDATION_FAILED', 'A declined message needs a reason.', 'reason');
      return { kind: 'decline', reason: dto.reason };
    case 'convey':
      if (!dto.mode) throw new DomainError('VALIDATION_FAILED', 'Say how to convey: verbatim, edited or as_mediator.', 'mode');
      return { kind: 'convey', mode: dto.mode, ...(dto.text !== undefined ? { text: dto.text } : {}) };
  }
}

export function parseStatuses(raw: string | undefined): ShuttleStatus[] | undefined {
  if (!raw) return undefined;
  const list = raw.split(',').map((s) => s.trim());
  const bad = list.find((s) => !(SHUTTLE_STATUSES as readonly string[]).includes(s));
  if (bad !== undefined) throw new DomainError('VALIDATION_FAILED', `status must be among ${SHUTTLE_STATUSES.join(', ')}`, 'status');
  return list as ShuttleStatus[];
}
