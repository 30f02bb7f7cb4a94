import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { TokenPair } from '@parley/contracts';
import { EmailVerification } from '../application/email-verification';
import { CurrentUser } from './current-user.decorator';
import { JwtAuthGuard, OptionalJwtAuthGuard, type AuthenticatedUser } from './strategies';
import { ResendVerificationDto, VerifyEmailDto } from './verification.dto';

/** Proving an address: following the mailed link, and asking for it again. */
@ApiTags('auth')
@Controller('auth/verify-email')
export class VerificationController {
  constructor(private readonly verification: EmailVerification) {}

  /** Signed in to the link's account, or with its password (a claim's: the password chosen for it). Signs in. */
  @Post()
  @HttpCode(200)
  @ApiBearerAuth()
  @UseGuards(OptionalJwtAuthGuard)
  verify(@Body() dto: VerifyEmailDto, @Req() req: { user?: AuthenticatedUser }): Promise<TokenPair> {
    return this.verification.verify({ token: dto.token, password: dto.password, userId: req.user?.userId });
  }

  /** A new link to the signed-in account's address (at most one a minute); nothing once it is proven. */
  @Post('resend')
  @HttpCode(204)
  @ApiBearerAuth()
  @UseGuards(JwtAuthGuard)
  resend(@CurrentUser() user: AuthenticatedUser, @Body() dto: ResendVerificationDto): Promise<void> {
    return this.verification.resend(user.userId, dto.next);
  }
}
