import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  MARK_LEVELS,
  PROPOSAL_KINDS,
  PROPOSAL_VISIBILITIES,
  RESPONSES,
  type DraftScope,
  type MarkLevel,
  type ProposalChange,
  type ProposalKind,
  type ProposalResponse,
  type ProposalVisibility,
  type WordingInput,
} from '@parley/contracts';
import { DomainError, INT4_MAX, IsOptionalNotNull } from '@parley/platform';
import { MAX_CLAUSE_LENGTH, MAX_COMMENT_LENGTH, MAX_HEADING_LENGTH, MAX_OPTION_LENGTH, MAX_OPTIONS, MAX_SEGMENTS } from '../../domain';

export class OptionDto {
  @ApiProperty({ maxLength: MAX_OPTION_LENGTH })
  @IsString()
  @MaxLength(MAX_OPTION_LENGTH)
  text: string;

  @ApiPropertyOptional({ description: 'Parties supporting this option' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  supportedBy?: string[];
}

export class SegmentDto {
  @ApiProperty({ type: [OptionDto] })
  @IsArray()
  @ArrayMaxSize(MAX_OPTIONS)
  // ValidateNested walks an inner array's elements instead of refusing it: [[]] passed as no option.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OptionDto)
  options: OptionDto[];
}

export class WordingDto implements WordingInput {
  @ApiProperty({ description: 'The wording, with {{1}}, {{2}} … where the disputed segments go', maxLength: MAX_CLAUSE_LENGTH })
  @IsString()
  @MaxLength(MAX_CLAUSE_LENGTH)
  text: string;

  @ApiPropertyOptional({ type: [SegmentDto] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(MAX_SEGMENTS)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => SegmentDto)
  segments?: SegmentDto[];
}

const needsClause = (o: ChangeDto) => o.kind !== 'insert';
const needsWording = (o: ChangeDto) => o.kind === 'insert' || o.kind === 'replace';
const needsSegment = (o: ChangeDto) => o.kind === 'add_option' || o.kind === 'resolve_option';

/** A change of the text: which fields it needs depends on its kind. */
export class ChangeDto {
  @ApiProperty({ enum: PROPOSAL_KINDS })
  @IsIn(PROPOSAL_KINDS)
  kind: ProposalKind;

  @ApiPropertyOptional()
  @ValidateIf(needsClause)
  @IsUUID()
  clauseId?: string;

  @ApiPropertyOptional({ description: 'The version of the clause this change is based on' })
  @ValidateIf(needsClause)
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  baseVersion?: number;

  @ApiPropertyOptional({ description: 'insert: after this clause (null: first)', nullable: true })
  @IsOptional()
  @IsUUID()
  afterClauseId?: string | null;

  @ApiPropertyOptional({ nullable: true, maxLength: MAX_HEADING_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_HEADING_LENGTH)
  heading?: string | null;

  @ApiPropertyOptional({ type: WordingDto })
  @ValidateIf(needsWording)
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => WordingDto)
  wording?: WordingDto;

  @ApiPropertyOptional()
  @ValidateIf(needsSegment)
  @IsString()
  @Matches(/^[0-9a-zA-Z-]{1,64}$/)
  segmentId?: string;

  @ApiPropertyOptional({ description: 'resolve_option: the option chosen (A, B …)' })
  @IsOptionalNotNull()
  @IsString()
  @Matches(/^[A-Z]$/)
  optionId?: string;

  @ApiPropertyOptional({
    description: 'add_option: the new option; resolve_option: new wording instead of an option',
    maxLength: MAX_OPTION_LENGTH,
  })
  @ValidateIf((o: ChangeDto) => o.kind === 'add_option' || o.text !== undefined)
  @IsString()
  @MaxLength(MAX_OPTION_LENGTH)
  text?: string;
}

/** The validated DTO as the domain's change: only the fields of its kind. */
export function toChange(d: ChangeDto): ProposalChange {
  const heading = d.heading === undefined ? {} : { heading: d.heading };
  switch (d.kind) {
    case 'insert':
      return { kind: 'insert', afterClauseId: d.afterClauseId ?? null, ...heading, wording: plainWording(d.wording!) };
    case 'replace':
      return { kind: 'replace', clauseId: d.clauseId!, baseVersion: d.baseVersion!, ...heading, wording: plainWording(d.wording!) };
    case 'delete':
      return { kind: 'delete', clauseId: d.clauseId!, baseVersion: d.baseVersion! };
    case 'add_option':
      return { kind: 'add_option', clauseId: d.clauseId!, baseVersion: d.baseVersion!, segmentId: d.segmentId!, text: d.text! };
    case 'resolve_option':
      if ((d.optionId === undefined) === (d.text === undefined)) {
        throw new DomainError('VALIDATION_FAILED', 'resolve_option takes an optionId or a text, one of them.', 'optionId');
      }
      return {
        kind: 'resolve_option',
        clauseId: d.clauseId!,
        baseVersion: d.baseVersion!,
        segmentId: d.segmentId!,
        ...(d.optionId !== undefined ? { optionId: d.optionId } : { text: d.text! }),
      };
  }
}

const plainWording = (w: WordingDto): WordingInput => ({
  text: w.text,
  segments: (w.segments ?? []).map((s) => ({ options: s.options.map((o) => ({ text: o.text, supportedBy: o.supportedBy ?? [] })) })),
});

export class EditDto {
  @ApiProperty({ type: ChangeDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ChangeDto)
  change: ChangeDto;
}

/**
 * The mediator's direct change (POST …/agreement/changes): the change, and for a delete the
 * mediator's password typed again. Its own class so that a proposal (ProposeDto extends EditDto)
 * takes no password. A delete without one is refused 400 VALIDATION_FAILED on `password` (by
 * EditTextUseCase, once the sender is known to be a mediator); a password with another kind too.
 */
export class DirectEditDto extends EditDto {
  @ApiPropertyOptional({
    description:
      'delete: the mediator’s password, typed again, required and checked afresh at the moment of deleting (a valid token is not enough); never stored. Not sent with other kinds',
    format: 'password',
    writeOnly: true,
  })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 200)
  password?: string;
}

export class ProposeDto extends EditDto {
  @ApiProperty({ enum: PROPOSAL_VISIBILITIES })
  @IsIn(PROPOSAL_VISIBILITIES)
  visibility: ProposalVisibility;

  @ApiPropertyOptional({ description: 'The proposal this one answers' })
  @IsOptionalNotNull()
  @IsUUID()
  counterTo?: string;

  @ApiPropertyOptional({ maxLength: MAX_COMMENT_LENGTH })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(MAX_COMMENT_LENGTH)
  rationale?: string;

  @ApiPropertyOptional({ description: 'Idempotency key: a retry with the same key is stored once' })
  @IsOptionalNotNull()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{8,64}$/, { message: 'clientProposalId must be 8–64 letters, digits, "-" or "_" (a UUID will do)' })
  clientProposalId?: string;
}

export class RespondDto {
  @ApiProperty({ enum: RESPONSES })
  @IsIn(RESPONSES)
  response: ProposalResponse;

  @ApiPropertyOptional({ maxLength: MAX_COMMENT_LENGTH })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(MAX_COMMENT_LENGTH)
  comment?: string;
}

export class RespondPayloadDto extends RespondDto {
  @IsUUID()
  proposalId: string;
}

export class BaseVersionDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  baseVersion: number;
}

export class MarkDto extends BaseVersionDto {
  @ApiProperty({ enum: MARK_LEVELS })
  @IsIn(MARK_LEVELS)
  level: MarkLevel;
}

export class MarkPayloadDto extends MarkDto {
  @IsUUID()
  clauseId: string;
}

export class SupportDto extends BaseVersionDto {
  @ApiProperty({ description: "A, B …; null withdraws the delegation's support from the segment", nullable: true, type: String })
  @IsDefined()
  @ValidateIf((o: SupportDto) => o.optionId !== null)
  @IsString()
  @Matches(/^[A-Z]$/)
  optionId: string | null;
}

export class SignOffDto {
  @ApiProperty({ description: 'SHA-256 (hex) of the final text, as shown at finalisation' })
  @IsString()
  @Matches(/^[0-9a-fA-F]{64}$/)
  sha256: string;

  @ApiProperty({
    description:
      'The head of delegation’s password, typed again: checked afresh at the moment of signing (a valid token is not enough); never stored',
    format: 'password',
    writeOnly: true,
  })
  @IsString()
  @Length(1, 200)
  password: string;
}

export class HistoryQueryDto {
  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsUUID()
  clauseId?: string;
}

export class RedlineQueryDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  from: number;

  @ApiProperty()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  to: number;
}

export class ExportQueryDto {
  @ApiPropertyOptional({ enum: ['markdown', 'html', 'json'], default: 'markdown' })
  @IsOptionalNotNull()
  @IsIn(['markdown', 'html', 'json'])
  format?: 'markdown' | 'html' | 'json';
}

export class DraftScopeDto {
  @ApiProperty({ enum: ['mediators', 'party'] })
  @IsIn(['mediators', 'party'])
  kind: 'mediators' | 'party';

  @ApiPropertyOptional()
  @ValidateIf((o: DraftScopeDto) => o.kind === 'party')
  @IsUUID()
  partyId?: string;
}

export const toScope = (d: DraftScopeDto): DraftScope =>
  d.kind === 'party' ? { kind: 'party', partyId: d.partyId! } : { kind: 'mediators' };
