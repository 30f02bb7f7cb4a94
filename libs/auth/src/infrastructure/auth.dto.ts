import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Length, MaxLength, MinLength } from 'class-validator';
import { IsName, IsOptionalNotNull } from '@parley/platform';

export class RegisterDto {
  @ApiProperty({ example: 'amina@example.org' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 10, maxLength: 200 })
  @IsString()
  @MinLength(10, { message: 'password must be at least 10 characters' })
  @MaxLength(200)
  password: string;

  @ApiProperty({ example: 'Amina Diallo', description: 'NFC, trimmed; no invisible or direction-control characters' })
  @IsString()
  @Length(1, 120)
  @IsName()
  displayName: string;
}

export class LoginDto {
  @ApiProperty()
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @MaxLength(200)
  password: string;
}

export class RefreshDto {
  @ApiProperty({
    required: false,
    description:
      'A client that keeps its own refresh token sends it here; a browser sends none (its HttpOnly cookie, with X-Parley-CSRF: 1).',
  })
  @IsOptionalNotNull()
  @IsString()
  @Length(10, 200)
  refreshToken?: string;
}

export class DeleteAccountDto {
  @ApiProperty({ description: 'The account’s password, typed again.' })
  @IsString()
  @Length(1, 200)
  password: string;
}
