import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { APP_CONFIG, type AppConfig } from '@parley/platform';
import { Accounts } from '../application/accounts';
import { AuthTokens } from '../application/auth.tokens';
import { PasswordHasher } from '../application/password-hasher';
import { SignInLimits } from '../application/sign-in-limits';
import { AccountTies } from '../application/account-ties';
import { DeleteAccount } from '../application/delete-account';
import { SignInEndings } from '../application/sign-in-ended';
import { SignIns } from '../application/sign-ins';
import { AccountStore } from '../application/account.store';
import { RefreshTokenStore } from '../application/refresh-token.store';
import { SignInStore } from '../application/sign-in.store';
import { TypeOrmAccountStore } from './typeorm-account.store';
import { TypeOrmRefreshTokenStore } from './typeorm-refresh-token.store';
import { TypeOrmSignInStore } from './typeorm-sign-in.store';
import { AuthController } from './auth.controller';
import { EmailVerification } from '../application/email-verification';
import { VerificationController } from './verification.controller';
import { VERIFICATION_PROVIDERS } from './verification.providers';
import { RefreshCookie } from './refresh-cookie';
import { requireJwtSecret } from './jwt-secret';
import { JwtAuthGuard, LocalAuthGuard, LocalStrategy, OptionalJwtAuthGuard } from './strategies';

@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => ({ secret: requireJwtSecret(c), signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  controllers: [AuthController, VerificationController],
  providers: [
    ...VERIFICATION_PROVIDERS,
    Accounts,
    AuthTokens,
    RefreshCookie,
    PasswordHasher,
    SignInLimits,
    LocalStrategy,
    JwtAuthGuard,
    OptionalJwtAuthGuard,
    LocalAuthGuard,
    { provide: AccountStore, useClass: TypeOrmAccountStore },
    { provide: RefreshTokenStore, useClass: TypeOrmRefreshTokenStore },
    { provide: SignInStore, useClass: TypeOrmSignInStore },
    SignIns,
    SignInEndings,
    AccountTies,
    DeleteAccount,
  ],
  exports: [
    EmailVerification,
    Accounts,
    PasswordHasher,
    AuthTokens,
    SignInLimits,
    JwtAuthGuard,
    OptionalJwtAuthGuard,
    SignIns,
    SignInEndings,
    AccountTies,
  ],
})
export class AuthModule {}
