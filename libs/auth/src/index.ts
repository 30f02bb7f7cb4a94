export * from './domain/credentials';
export * from './application/accounts';
export * from './application/password-hasher';
export * from './application/auth.tokens';
export * from './application/sign-in-limits';
export * from './application/sign-ins';
export * from './application/sign-in-ended';
export * from './application/account-ties';
export * from './application/delete-account';
export * from './infrastructure/auth.module';
export * from './infrastructure/strategies';
export * from './infrastructure/current-user.decorator';
export * from './infrastructure/user.entity';
export * from './infrastructure/refresh-token.entity';

export * from './infrastructure/jwt-secret';
