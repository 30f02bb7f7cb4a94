import { IsIn, IsInt, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { IsOptionalNotNull } from '@parley/platform';
import { TIMER_PURPOSES, type TimerPurpose } from '@parley/contracts';
import { TIMER_LABEL_MAX, TIMER_MAX_SECONDS, TIMER_MIN_SECONDS } from '../../domain/floor.policy';

export class HandLowerDto {
  /** Someone else's hand (a mediator's act); absent: one's own. */
  @IsOptionalNotNull()
  @IsUUID()
  participantId?: string;
}

export class TimerSetDto {
  @IsUUID()
  roomId: string;

  @IsInt()
  @Min(TIMER_MIN_SECONDS)
  @Max(TIMER_MAX_SECONDS)
  seconds: number;

  @IsIn(TIMER_PURPOSES)
  purpose: TimerPurpose;

  /** Measured again by the floor rule once normalised (NFC, trimmed), with the rule for names. */
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(TIMER_LABEL_MAX)
  label?: string;
}

export class TimerClearDto {
  @IsUUID()
  roomId: string;
}
