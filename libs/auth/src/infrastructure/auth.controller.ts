import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Registered, SignInView, TokenPair, UserView } from '@parley/contracts';
import { UuidParam, clientAddress } from '@parley/platform';
import { Accounts } from '../application/accounts';
import type { Account } from '../domain/account';
import { AuthTokens, toUserView } from '../application/auth.tokens';
import { DeleteAccount } from '../application/delete-account';
import { EmailVerification } from '../application/email-verification';
import { SignIns } from '../application/sign-ins';
import { DeleteAccountDto, LoginDto, RefreshDto, RegisterDto } from './auth.dto';
import { CurrentUser } from './current-user.decorator';
import { EndsRefreshCookie, RefreshCookie } from './refresh-cookie';
import { RegistrationLimitGuard } from './registration-limit.guard';
import { JwtAuthGuard, LocalAuthGuard, type AuthenticatedUser } from './strategies';
import type { Request } from 'express';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly accounts: Accounts,
    private readonly tokens: AuthTokens,
    private readonly cookie: RefreshCookie,
    private readonly verification: EmailVerification,
    private readonly signIns: SignIns,
    private readonly deletion: DeleteAccount,
  ) {}

  @Post('register')
  @UseGuards(RegistrationLimitGuard)
  async register(
    @Body() dto: RegisterDto,
    @Res({ passthrough: true }) res: { status(code: number): unknown },
    @Req() req: { ip?: string },
  ): Promise<Registered> {
    // With mail configured, an address an unverified account holds is claimed by proof (202), not refused.
    const done = await this.verification.register(dto, undefined, clientAddress(req));
    if (done.kind === 'claim') {
      res.status(202);
      return { claim: true, verificationSent: true, email: done.email };
    }
    return { ...(await this.tokens.issue(done.user)), verificationSent: done.verificationSent };
  }

  @Post('login')
  @HttpCode(200)
  @UseGuards(LocalAuthGuard)
  login(@Body() _dto: LoginDto, @Req() req: { user: Account }): Promise<TokenPair> {
    return this.tokens.issue(req.user);
  }

  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() dto: RefreshDto, @Req() req: Request): Promise<TokenPair> {
    return this.tokens.refresh(this.cookie.presented(req, dto.refreshToken));
  }

  @Get('me')
  @ApiBearerAuth()
  @UseGuards(JwtAuthGuard)
  async me(@CurrentUser() user: AuthenticatedUser): Promise<UserView> {
    return toUserView(await this.accounts.byId(user.userId));
  }

  /** Ends the caller's own sign-in: its refresh token, its access tokens and its sockets, on every instance. */
  @Post('sign-out')
  @HttpCode(204)
  @EndsRefreshCookie()
  @ApiBearerAuth()
  @UseGuards(JwtAuthGuard)
  async signOut(@CurrentUser() user: AuthenticatedUser): Promise<void> {
    await this.signIns.signOut(user);
  }

  /** The account's sign-ins still live (one per device or browser signed in), the caller's marked `current`. */
  @Get('sign-ins')
  @ApiBearerAuth()
  @UseGuards(JwtAuthGuard)
  signInsList(@CurrentUser() user: AuthenticatedUser): Promise<SignInView[]> {
    return this.signIns.list(user);
  }

  /** Ends one of the account's sign-ins (SIGN_IN_NOT_FOUND for another account's, an unknown or an ended one). */
  @Delete('sign-ins/:id')
  @HttpCode(204)
  @ApiBearerAuth()
  @UseGuards(JwtAuthGuard)
  async endSignIn(@CurrentUser() user: AuthenticatedUser, @Param('id', new UuidParam('id')) id: string): Promise<void> {
    await this.signIns.end(user, id);
  }

  /** Deletes the caller's account, password typed again (see DeleteAccount and the README's "Accounts"). */
  @Delete('me')
  @HttpCode(204)
  @ApiBearerAuth()
  @UseGuards(JwtAuthGuard)
  async deleteMe(@CurrentUser() user: AuthenticatedUser, @Body() dto: DeleteAccountDto): Promise<void> {
    await this.deletion.execute({ userId: user.userId, password: dto.password });
  }
}
