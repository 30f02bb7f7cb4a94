import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { TokenPair, UserView } from '@parley/contracts';
import { Accounts } from '../application/accounts';
import { AuthTokens, toUserView } from '../application/auth.tokens';
import { LoginDto, RefreshDto, RegisterDto } from './auth.dto';
import { CurrentUser } from './current-user.decorator';
import { RegistrationLimitGuard } from './registration-limit.guard';
import { JwtAuthGuard, LocalAuthGuard, type AuthenticatedUser } from './strategies';
import type { UserEntity } from './user.entity';
import { Req } from '@nestjs/common';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly accounts: Accounts,
    private readonly tokens: AuthTokens,
  ) {}

  @Post('register')
  @UseGuards(RegistrationLimitGuard)
  async register(@Body() dto: RegisterDto): Promise<TokenPair> {
    return this.tokens.issue(await this.accounts.register(dto));
  }

  @Post('login')
  @HttpCode(200)
  @UseGuards(LocalAuthGuard)
  login(@Body() _dto: LoginDto, @Req() req: { user: UserEntity }): Promise<TokenPair> {
    return this.tokens.issue(req.user);
  }

  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() dto: RefreshDto): Promise<TokenPair> {
    return this.tokens.refresh(dto.refreshToken);
  }

  @Get('me')
  @ApiBearerAuth()
  @UseGuards(JwtAuthGuard)
  async me(@CurrentUser() user: AuthenticatedUser): Promise<UserView> {
    return toUserView(await this.accounts.byId(user.userId));
  }
}
