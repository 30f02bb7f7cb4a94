import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsObject,
  ValidateNested,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  Max,
  Min,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsName, IsOptionalNotNull } from '@parley/platform';
import { MAX_BULK_MOVES } from '../../domain/bulk-placement.policy';
import { INVITABLE_ROLES, SESSION_STATUSES, type InvitableRole, type SessionStatus } from '@parley/contracts';

/**
 * A session's declared languages, as sent on creation and on update: only an array of at most 100
 * items gets through here; the domain (languages.policy) decides the codes, their number and
 * duplicates, refusing with LANGUAGE_INVALID on `languages`.
 */
const SessionLanguages = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: [String],
      example: ['ar', 'en'],
      description: 'The languages the talks are held in: distinct codes such as ar, fr, pt-BR (at most 12); LANGUAGE_INVALID otherwise',
    }),
    IsOptionalNotNull(),
    IsArray(),
    ArrayMaxSize(100),
  );

export class CreateSessionDto {
  @ApiProperty({ example: 'Harbour concession dispute' })
  @IsString()
  @Length(1, 200)
  @IsName()
  title: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional({ type: [String], example: ['Northern Delegation', 'Southern Delegation'] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 120, { each: true })
  @IsName({ each: true })
  parties?: string[];

  @SessionLanguages()
  languages?: unknown[];
}

export class UpdateSessionDto {
  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 200)
  @IsName()
  title?: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 3600,
    description: 'Seconds a shuttle message waits, withdrawable, before reaching the mediator',
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(3600)
  coolingOffSeconds?: number;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @SessionLanguages()
  languages?: unknown[];
}

export class AddPartyDto {
  @ApiProperty()
  @IsString()
  @Length(1, 120)
  @IsName()
  name: string;
}

export class ChangeStatusDto {
  @ApiProperty({ enum: SESSION_STATUSES })
  @IsIn(SESSION_STATUSES)
  status: SessionStatus;

  @ApiPropertyOptional({ maxLength: 200, description: "The break's reason, shown to everyone (suspended only; trimmed)" })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(1000)
  reason?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 480, description: "The break's announced length in minutes (suspended only)" })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(480)
  minutes?: number;

  @ApiPropertyOptional({
    default: true,
    description: 'On resume: give everyone back the room they were in when the break began (open only)',
  })
  @IsOptionalNotNull()
  @IsBoolean()
  restoreSeats?: boolean;
}

export class InviteDto {
  @ApiProperty({ enum: INVITABLE_ROLES })
  @IsIn(INVITABLE_ROLES)
  role: InvitableRole;

  @ApiPropertyOptional({ description: 'The person the invitation is for (the console always names them)', example: 'Amina Haddad' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 120)
  @IsName()
  displayName?: string;

  @ApiPropertyOptional({
    description: "Required for party_member; for an interpreter, the party that brought them (omit: the mediators' own)",
  })
  @IsOptionalNotNull()
  @IsUUID()
  partyId?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['ar', 'en'],
    description:
      "An interpreter's two languages, both declared by the session (interpreter only); LANGUAGE_INVALID / LANGUAGE_NOT_DECLARED otherwise",
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  languages?: unknown[];

  @ApiPropertyOptional({ description: 'Head of delegation (party_member only)' })
  @IsOptionalNotNull()
  @IsBoolean()
  isHead?: boolean;

  @ApiPropertyOptional({ description: 'Only this address may accept' })
  @IsOptionalNotNull()
  @IsEmail()
  @MaxLength(254)
  email?: string;
}

export class AcceptInvitationDto {
  @ApiPropertyOptional({ description: 'With password: sign in to, or create, this account. Omit when sending a bearer token.' })
  @IsOptionalNotNull()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  password?: string;

  @ApiPropertyOptional({ description: 'Needed when a new account is created' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 120)
  @IsName()
  displayName?: string;
}

export class OpenJointRoomDto {
  @ApiProperty({ example: 'Heads of delegation' })
  @IsString()
  @Length(1, 120)
  @IsName()
  name: string;

  @ApiProperty({ type: [String], description: 'Participant ids of the party members it names' })
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  memberIds: string[];
}

export class PlaceDto {
  @ApiProperty()
  @IsUUID()
  roomId: string;
}

export class MoveDto {
  @ApiProperty()
  @IsUUID()
  participantId: string;

  @ApiProperty()
  @IsUUID()
  roomId: string;
}

/** Several moves, decided together and applied together (or none of them). */
export class BulkMoveDto {
  @ApiProperty({ type: [MoveDto], minItems: 1, maxItems: MAX_BULK_MOVES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_MOVES)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => MoveDto)
  moves: MoveDto[];
}

export class ChangeRoleDto {
  @ApiProperty({ enum: INVITABLE_ROLES })
  @IsIn(INVITABLE_ROLES)
  role: InvitableRole;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsUUID()
  partyId?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsBoolean()
  isHead?: boolean;
}

/** Socket payloads. */
export class RenewTokenDto {
  @IsString()
  @Length(1, 4096)
  token: string;
}

export class JoinSessionDto {
  @IsUUID()
  sessionId: string;
}

export class PlacePayloadDto {
  @IsUUID()
  participantId: string;

  @IsUUID()
  roomId: string;
}

export class SendToLobbyDto {
  @IsUUID()
  participantId: string;
}
