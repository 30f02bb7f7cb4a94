import type { TokenPair } from './models';

/**
 * What `POST /api/auth/register` answers. 201: an account, signed in; `verificationSent` says a
 * link to prove the address went out (false with no mail configured). 202: the address is held by
 * an account that never proved it — a claim was mailed to it, and no account exists until the link
 * is followed (with the password just chosen) at `/verify-email`.
 */
export type Registered = (TokenPair & { verificationSent: boolean }) | RegistrationClaimed;

export interface RegistrationClaimed {
  claim: true;
  verificationSent: true;
  email: string;
}

/** `details` of EMAIL_NOT_VERIFIED: whether a link was just mailed (false: one went out moments ago, or mail is away). */
export interface EmailNotVerifiedDetails {
  verificationSent: boolean;
}
