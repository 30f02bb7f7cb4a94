import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { IsOptionalNotNull } from '@parley/platform';
import { RETURN_PATH } from '../application/email-verification';

export class VerifyEmailDto {
  @ApiProperty({ description: 'The token of the mailed link' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'token is not a confirmation token' })
  token: string;

  @ApiPropertyOptional({ description: 'The password of the account (or of the claim); not needed with the bearer of that account' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(200)
  password?: string;
}

export class ResendVerificationDto {
  @ApiPropertyOptional({ description: 'A path of this site the mailed link leads to afterwards, e.g. /invitations/<token>' })
  @IsOptionalNotNull()
  @IsString()
  @Matches(RETURN_PATH, { message: 'next must be a path of this site' })
  next?: string;
}
