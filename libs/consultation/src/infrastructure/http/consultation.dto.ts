import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  CONSULTATION_LIMITS as L,
  MODERATION_DECISIONS,
  REJECT_REASONS,
  STATEMENT_STATUSES,
  VOTES,
  type CastVote,
  type CreateConsultation,
  type Excerpt,
  type IssueCodes,
  type ModerateStatement,
  type ModerationDecision,
  type RejectReason,
  type StartRespondent,
  type StatementStatus,
  type SubmitStatement,
  type TableSummary,
  type VoteValue,
} from '@parley/contracts';
import { IsOptionalNotNull } from '@parley/platform';

export class ExcerptDto implements Excerpt {
  @ApiProperty({ maxLength: L.excerptHeadingMaxLength })
  @IsString()
  @MaxLength(L.excerptHeadingMaxLength)
  heading: string;

  @ApiProperty({ maxLength: L.excerptMaxLength })
  @IsString()
  @Length(1, L.excerptMaxLength)
  text: string;
}

export class GroupDto {
  @ApiProperty({ maxLength: L.groupNameMaxLength })
  @IsString()
  @Length(1, L.groupNameMaxLength)
  name: string;
}

export class CreateConsultationDto implements CreateConsultation {
  @ApiProperty({ maxLength: L.titleMaxLength })
  @IsString()
  @Length(1, L.titleMaxLength)
  title: string;

  @ApiProperty({ maxLength: L.promptMaxLength })
  @IsString()
  @Length(1, L.promptMaxLength)
  prompt: string;

  @ApiPropertyOptional({ type: [ExcerptDto] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(L.excerptsMax)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ExcerptDto)
  excerpts?: ExcerptDto[];

  @ApiProperty({ example: ['ar', 'en', 'fr'] })
  @IsArray()
  @ArrayMaxSize(20)
  languages: string[];

  @ApiPropertyOptional({ description: 'ISO 8601; now when absent' })
  @IsOptionalNotNull()
  @IsISO8601({ strict: true })
  opensAt?: string;

  @ApiProperty({ description: 'ISO 8601, after opensAt' })
  @IsISO8601({ strict: true })
  closesAt: string;

  @ApiProperty()
  @IsBoolean()
  requireCode: boolean;

  @ApiProperty({ type: [GroupDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(L.groupsMax)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => GroupDto)
  groups: GroupDto[];
}

export class IssueCodesDto implements IssueCodes {
  @ApiProperty({ minimum: 1, maximum: L.codesPerBatchMax })
  @IsInt()
  @Min(1)
  @Max(L.codesPerBatchMax)
  count: number;
}

export class StatementsQueryDto {
  @ApiPropertyOptional({ enum: STATEMENT_STATUSES })
  @IsOptionalNotNull()
  @IsIn(STATEMENT_STATUSES)
  status?: StatementStatus;
}

export class ModerateDto implements ModerateStatement {
  @ApiProperty({ enum: MODERATION_DECISIONS })
  @IsIn(MODERATION_DECISIONS)
  decision: ModerationDecision;

  @ApiPropertyOptional({ enum: REJECT_REASONS })
  @IsOptionalNotNull()
  @IsIn(REJECT_REASONS)
  reason?: RejectReason;

  @ApiPropertyOptional({ description: 'With merge: the approved statement this one duplicates' })
  @IsOptionalNotNull()
  @IsUUID()
  into?: string;
}

export class ResultsQueryDto {
  @ApiPropertyOptional({ minimum: 2, maximum: 6, default: 3 })
  @IsOptionalNotNull()
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(6)
  k?: number;
}

export class TableSummaryDto implements TableSummary {
  @ApiProperty({ maxLength: L.titleMaxLength })
  @IsString()
  @Length(1, L.titleMaxLength)
  title: string;

  @ApiProperty()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(L.summaryStatementsMax)
  @IsUUID('all', { each: true })
  statementIds: string[];

  @ApiPropertyOptional({ maxLength: L.summaryNoteMaxLength })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(L.summaryNoteMaxLength)
  note?: string;
}

export class StartRespondentDto implements StartRespondent {
  @ApiPropertyOptional({ description: 'The one-time code, when the consultation requires one' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(64)
  code?: string;
}

export class SubmitStatementDto implements SubmitStatement {
  // The cap (in characters, after trimming) is the domain's; this bounds what is read at all.
  @ApiProperty({ maxLength: L.statementMaxLength })
  @IsString()
  @MaxLength(L.statementMaxLength * 2)
  text: string;
}

export class CastVoteDto implements CastVote {
  @ApiProperty()
  @IsUUID()
  statementId: string;

  @ApiProperty({ enum: VOTES })
  @IsIn(VOTES)
  vote: VoteValue;
}
