import type { Provider } from '@nestjs/common';
import { APP_CONFIG } from '@parley/platform';
import { EmailVerification } from '../application/email-verification';
import { Mailer } from '../application/mailer';
import { EmailVerificationStore } from './email-verification.store';
import { mailerFromConfig } from './smtp-mailer';

/** Address verification, and the Mailer — null when no mail transport is configured. */
export const VERIFICATION_PROVIDERS: Provider[] = [
  EmailVerification,
  EmailVerificationStore,
  { provide: Mailer, inject: [APP_CONFIG], useFactory: mailerFromConfig },
];
