import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { TokenPair } from '@parley/contracts';
import {
  APP_CONFIG,
  Clock,
  DomainError,
  RateLimits,
  UnitOfWork,
  nameProblem,
  normaliseName,
  type AppConfig,
  type Limiter,
} from '@parley/platform';
import type { Account } from '../domain/account';
import { digestToken, newOpaqueToken, normaliseEmail, passwordProblem } from '../domain/credentials';
import { Accounts, type NewAccount } from './accounts';
import { AuthTokens } from './auth.tokens';
import { EmailVerificationStore } from './email-verification.store';
import { Mailer, type MailMessage } from './mailer';
import { PasswordHasher } from './password-hasher';
import { SignInEndings } from './sign-in-ended';
import { SignInStore } from './sign-in.store';

/** How long a mailed link works. */
export const VERIFICATION_TTL_SECONDS = 24 * 3600;
/**
 * At most one link a minute to one address for one account, and one a minute for claims of it from
 * one client address: mail to a stranger cannot be a flood (registration is limited per client
 * address too), an unverified holder asking for its own links again and again does not hold back a
 * claim, and neither does someone re-claiming the address every minute — each claim has its own link,
 * mailed to the address, so the one who reads that mail is the one who can follow it.
 */
export const VERIFICATION_RESEND_SECONDS = 60;

/** A path of this site the page goes to once the address is proven (an invitation link). */
export const RETURN_PATH = /^\/(?!\/)[A-Za-z0-9/_-]{0,200}$/;

/** What registering did: an account (and whether its link went out), or only a claim of a held address. */
export type Registration = { kind: 'account'; user: Account; verificationSent: boolean } | { kind: 'claim'; email: string };

const invalid = (field = 'token') =>
  new DomainError('VERIFICATION_INVALID', 'This confirmation link is not valid, was used or has expired; ask for a new one.', field);

/**
 * Proving an address: a single-use link mailed to it. Following the link proves the mailbox; the
 * password of the account (or of the claim) — or being signed in to that account — proves it is
 * the same person who asked, so a stranger's link clicked by the address's owner proves nothing for
 * the stranger.
 *
 * An address held by an account that never proved it is not lost to whoever registered first:
 * registering it again starts a claim, and whoever follows the claim's link (with the claim's
 * password) gets the address — the unverified holder keeps its id, seats and text under a
 * `.invalid` placeholder address, and its sign-ins end (tokens refused, sockets closed). A proven
 * address is never claimable.
 *
 * Exists only with a Mailer: with no mail transport, nothing is verified and `enabled` is false.
 */
@Injectable()
export class EmailVerification {
  private readonly logger = new Logger('EmailVerification');
  private readonly claims: Limiter;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly store: EmailVerificationStore,
    private readonly accounts: Accounts,
    private readonly hasher: PasswordHasher,
    private readonly tokens: AuthTokens,
    private readonly signIns: SignInStore,
    private readonly endings: SignInEndings,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(Mailer) private readonly mailer: Mailer | null,
    private readonly rateLimits: RateLimits,
  ) {
    this.claims = rateLimits.limiter('email-claim', { points: 1, durationSeconds: VERIFICATION_RESEND_SECONDS });
  }

  /** Whether addresses can be proven here: a mail transport is configured. */
  get enabled(): boolean {
    return this.mailer !== null;
  }

  /** Whether this account's address counts as proven. */
  isVerified(user: Pick<Account, 'emailVerifiedAt'>): boolean {
    return user.emailVerifiedAt !== null;
  }

  /**
   * Registration. Without mail: an account, as always. With mail: a free address becomes an
   * unverified account and its link is sent (a mail failure is logged, the link can be resent); an
   * address held by an unverified account starts a claim (no account until the link is followed);
   * a proven address is EMAIL_TAKEN. `next`: where the link's page goes afterwards.
   */
  async register(input: NewAccount, next?: string, client = 'unknown'): Promise<Registration> {
    if (!this.mailer) return { kind: 'account', user: await this.accounts.register(input), verificationSent: false };
    const email = normaliseEmail(input.email);
    const holder = await this.store.holderOf(this.uow.autocommit, email);
    if (!holder) {
      const user = await this.accounts.register(input);
      const verificationSent = await this.sendLink(user, next).then(
        () => true,
        (e: unknown) => {
          this.logger.warn(`no confirmation link sent to new account ${user.id}: ${(e as Error).message}`);
          return false;
        },
      );
      return { kind: 'account', user, verificationSent };
    }
    if (holder.verified)
      throw new DomainError('EMAIL_TAKEN', 'An account with this e-mail address already exists; sign in instead.', 'email');
    // The same rules as a new account: the claim becomes one.
    const weak = passwordProblem(input.password);
    if (weak) throw new DomainError('VALIDATION_FAILED', weak, 'password');
    const displayName = normaliseName(input.displayName);
    const badName = nameProblem(displayName, 'displayName');
    if (badName) throw new DomainError('VALIDATION_FAILED', badName, 'displayName');
    // Claims of one address are limited per client address, not per address: see VERIFICATION_RESEND_SECONDS.
    await this.rateLimits.consume(this.claims, `${email}|${client}`);
    const passwordHash = await this.hasher.hash(input.password);
    await this.mailLink(email, { userId: null, passwordHash, displayName }, next);
    return { kind: 'claim', email };
  }

  /** Mails a new link to this account's address. RATE_LIMITED within a minute of the last; MAIL_UNAVAILABLE when it could not go. */
  async sendLink(user: Pick<Account, 'id' | 'email'>, next?: string): Promise<void> {
    await this.mailLink(user.email, { userId: user.id, passwordHash: null, displayName: null }, next);
  }

  /** The signed-in account asks for its link again; nothing happens once its address is proven. */
  async resend(userId: string, next?: string): Promise<void> {
    if (!this.mailer) throw new DomainError('MAIL_UNAVAILABLE', 'This server sends no mail: addresses cannot be confirmed here.');
    const user = await this.accounts.byId(userId);
    if (this.isVerified(user)) return;
    await this.sendLink(user, next);
  }

  /**
   * Follows a link: with the bearer of its account (userId) or the password of its account or claim.
   * Marks the address proven — for a claim, creates the account and takes the address from an
   * unverified holder — ends every other open link to the address, and signs in.
   */
  async verify(cmd: { token: string; password?: string; userId?: string }): Promise<TokenPair> {
    let released: string | null = null;
    const pair = await this.uow.transaction(async (tx) => {
      const now = new Date(this.clock.now());
      const link = await this.store.byTokenHash(tx, digestToken(cmd.token));
      if (!link || link.usedAt || link.expiresAt.getTime() <= now.getTime()) throw invalid();
      if (link.userId) {
        const user = await this.store.account(tx, link.userId);
        // The address left this account since (claimed by someone who proved it): the link is void.
        if (!user || user.email !== link.email) throw invalid();
        const proven =
          cmd.userId === user.id || (cmd.password !== undefined && (await this.hasher.verify(user.passwordHash, cmd.password)));
        if (!proven) throw invalid('password');
        await this.store.markVerified(tx, user.id, now);
        await this.store.closeLinksTo(tx, link.email, now);
        return this.tokens.issue(user, tx);
      }
      if (cmd.password === undefined || !(await this.hasher.verify(link.passwordHash ?? '', cmd.password))) throw invalid('password');
      const holder = await this.store.holderOf(tx, link.email, true);
      if (holder?.verified) throw invalid();
      if (holder) {
        // Its sign-ins end with the address: refresh tokens revoked, access tokens refused at once.
        await this.store.releaseAddress(tx, holder.userId);
        await this.signIns.revoke(tx, holder.userId, undefined, now);
        released = holder.userId;
        this.logger.log(`address claimed by proof: account ${holder.userId} never confirmed it and lost it`);
      }
      const user = await this.store.createVerifiedAccount(
        tx,
        { email: link.email, passwordHash: link.passwordHash ?? '', displayName: link.displayName ?? '' },
        now,
      );
      await this.store.closeLinksTo(tx, link.email, now);
      return this.tokens.issue(user, tx);
    });
    // After the commit: its sockets close on every instance.
    if (released) await this.endings.ended({ userId: released, reason: 'SIGN_IN_REVOKED' });
    return pair;
  }

  private async mailLink(
    email: string,
    link: { userId: string | null; passwordHash: string | null; displayName: string | null },
    next: string | undefined,
  ): Promise<void> {
    const mailer = this.mailer;
    if (!mailer) throw new DomainError('MAIL_UNAVAILABLE', 'This server sends no mail: addresses cannot be confirmed here.');
    const tx = this.uow.autocommit;
    const now = this.clock.now();
    // An account's own links: one a minute. Claims are limited before (per client address).
    const last = link.userId === null ? null : await this.store.lastLinkAt(tx, email, link.userId);
    const wait = last ? last.getTime() + VERIFICATION_RESEND_SECONDS * 1000 - now : 0;
    if (wait > 0) {
      const seconds = Math.max(1, Math.ceil(wait / 1000));
      throw new DomainError('RATE_LIMITED', `A link went to this address moments ago: try again in ${seconds} s.`, undefined, {
        retryAfterSeconds: seconds,
      });
    }
    const token = newOpaqueToken();
    const id = await this.store.insert(tx, {
      email,
      ...link,
      tokenHash: digestToken(token),
      expiresAt: new Date(now + VERIFICATION_TTL_SECONDS * 1000),
      createdAt: new Date(now),
    });
    const url = `${this.config.publicUrl}/verify-email?token=${token}${next && RETURN_PATH.test(next) ? `&next=${encodeURIComponent(next)}` : ''}`;
    try {
      await mailer.send(verificationMail(email, url, this.config.publicUrl, link.userId === null));
    } catch (e) {
      await this.store.remove(tx, id);
      this.logger.warn(`confirmation mail not sent: ${(e as Error).message}`);
      throw new DomainError('MAIL_UNAVAILABLE', 'The mail server did not take the confirmation mail; try again later.');
    }
  }
}

/** The mail (English): what the link is for, how long it works, and what to do if it was not you. */
export function verificationMail(to: string, url: string, site: string, claim: boolean): MailMessage {
  const why = claim
    ? `Someone asked to create an account on Parley (${site}) with this address. An account already uses it but never confirmed it; whoever confirms the address gets it.`
    : `Someone, we hope you, created an account on Parley (${site}) with this address.`;
  return {
    to,
    subject: 'Confirm your e-mail address for Parley',
    text: [
      why,
      '',
      `To confirm the address, open this link within ${VERIFICATION_TTL_SECONDS / 3600} hours and give the password chosen for the account:`,
      url,
      '',
      'If it was not you, ignore this message: nothing changes.',
      '',
    ].join('\n'),
  };
}
