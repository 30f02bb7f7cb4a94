import type { Provider } from '@nestjs/common';
import { APP_CONFIG } from '@parley/platform';
import { EmailVerification } from '../application/email-verification';
import { EmailVerificationStore } from '../application/email-verification.store';
import { Mailer } from '../application/mailer';
import { mailerFromConfig } from './smtp-mailer';
import { TypeOrmEmailVerificationStore } from './typeorm-email-verification.store';

/** Address verification, and the Mailer — null when no mail transport is configured. */
export const VERIFICATION_PROVIDERS: Provider[] = [
  EmailVerification,
  { provide: EmailVerificationStore, useClass: TypeOrmEmailVerificationStore },
  { provide: Mailer, inject: [APP_CONFIG], useFactory: mailerFromConfig },
];
