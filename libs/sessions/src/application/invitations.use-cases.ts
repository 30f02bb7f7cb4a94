import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type {
  InvitableRole,
  LanguagePair,
  InvitationAccepted,
  InvitationCreated,
  InvitationPreview,
  InvitationState,
  InvitationView,
} from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { Accounts, AuthTokens, EmailVerification, digestToken, newOpaqueToken, normaliseEmail, type NewAccount } from '@parley/auth';
import { APP_CONFIG, DomainError, UnitOfWork, type AppConfig, type Tx } from '@parley/platform';
import {
  assertInterpreterPair,
  assertInvitationQuota,
  assertMayConfigure,
  assertMayInvite,
  assertMediator,
  assertStatusAllows,
} from '../domain';
import { invitationStatus, InvitationStore, type Invitation } from './invitation-store';
import { linksReachOnlyThisMachine } from './public-url';
import { SessionRoster, type Seat, type SessionDetails } from './session-roster';
import { SessionStore } from './session-store';
import { toParticipantView } from './views';

export interface InviteCommand {
  userId: string;
  sessionId: string;
  role: InvitableRole;
  /** The person it is for (already validated as a name). */
  displayName?: string;
  partyId?: string;
  isHead?: boolean;
  /** An interpreter's two languages (checked against the session's). */
  languages?: readonly unknown[];
  email?: string;
}

/** Kept for existing imports: the list's item is the contracts' InvitationView. */
export type InvitationStatus = InvitationState;
export type InvitationListItem = InvitationView;

const notVerified = (verificationSent: boolean) =>
  new DomainError(
    'EMAIL_NOT_VERIFIED',
    verificationSent
      ? 'Confirm your e-mail address first: follow the link just sent to it, then accept.'
      : 'Confirm your e-mail address first: follow the link sent to it, then accept.',
    'email',
    { verificationSent },
  );

const headExists = () => new DomainError('PARTY_HEAD_EXISTS', 'This party already has a head of delegation.', 'isHead');

/** Invitations: a single-use, expiring link that brings a person into a session with a role. */
@Injectable()
export class InvitationsUseCases {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly roster: SessionRoster,
    private readonly sessions: SessionStore,
    private readonly invitations: InvitationStore,
    private readonly audit: AuditTrail,
    private readonly accounts: Accounts,
    private readonly tokens: AuthTokens,
    private readonly verification: EmailVerification,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  invite(cmd: InviteCommand): Promise<InvitationCreated> {
    return this.uow.transaction(async (tx) => {
      const { session, actor } = await this.roster.actor(tx, cmd.sessionId, cmd.userId, true);
      return this.create(tx, session, actor, cmd, null);
    });
  }

  /** Checks and writes one invitation (the session row is locked by the caller). */
  private async create(
    tx: Tx,
    session: SessionDetails,
    actor: Seat,
    cmd: InviteCommand,
    reissueOf: string | null,
  ): Promise<InvitationCreated> {
    assertMayInvite(actor, cmd.role, session.status);
    const isHead = cmd.isHead ?? false;
    let languages: LanguagePair | null = null;
    if (cmd.role === 'interpreter') {
      // The party that brought them (their caucus is the only one they may enter), or none: the mediators'.
      if (isHead) throw new DomainError('VALIDATION_FAILED', 'An interpreter never heads a delegation.', 'isHead');
      languages = assertInterpreterPair(cmd.languages, session.languages);
      if (cmd.partyId && !(await this.roster.hasParty(tx, session.id, cmd.partyId))) {
        throw new DomainError('PARTY_NOT_FOUND', 'No such party in this session.', 'partyId');
      }
    } else if (cmd.languages !== undefined) {
      throw new DomainError('VALIDATION_FAILED', 'Only an interpreter invitation names languages.', 'languages');
    } else if (cmd.role === 'party_member') {
      if (!cmd.partyId) throw new DomainError('VALIDATION_FAILED', 'A party member invitation names the party.', 'partyId');
      if (!(await this.roster.hasParty(tx, session.id, cmd.partyId))) {
        throw new DomainError('PARTY_NOT_FOUND', 'No such party in this session.', 'partyId');
      }
      if (isHead && (await this.roster.hasHead(tx, cmd.partyId))) throw headExists();
    } else if (cmd.partyId || isHead) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'Only a party member invitation names a party or a head of delegation.',
        cmd.partyId ? 'partyId' : 'isHead',
      );
    }
    const email = cmd.email ? normaliseEmail(cmd.email) : null;
    // With no mail nothing can prove an address, so only an address an account already holds can
    // be bound: that account, and no one registering later, is the addressee.
    if (email && !this.verification.enabled && !(await this.accounts.exists(email, tx))) {
      throw new DomainError(
        'INVITATION_ADDRESSEE_UNKNOWN',
        'No account holds this address, and this server sends no mail to confirm it: ask the person to create an account first, or leave the address out.',
        'email',
      );
    }
    // The session row is locked (the roster's actor): invitations of one session are counted one at a time.
    const invited = await this.invitations.count(tx, session.id);
    assertInvitationQuota(invited, this.config.quotas.invitationsPerSession);
    const token = newOpaqueToken();
    const displayName = cmd.displayName ?? null;
    const entity = {
      id: randomUUID(),
      sessionId: session.id,
      tokenHash: digestToken(token),
      displayName,
      role: cmd.role,
      partyId: cmd.role === 'party_member' || cmd.role === 'interpreter' ? (cmd.partyId ?? null) : null,
      isHead,
      languages,
      email,
      createdByParticipantId: actor.id,
      expiresAt: new Date(Date.now() + this.config.invitationTtlSeconds * 1000),
    };
    await this.invitations.insert(tx, entity);
    await this.audit.append(tx, session.id, [
      {
        type: 'invitation.created',
        actorUserId: actor.userId,
        actorParticipantId: actor.id,
        payload: {
          invitationId: entity.id,
          displayName,
          role: entity.role,
          partyId: entity.partyId,
          isHead,
          ...(languages ? { languages } : {}),
          email: entity.email,
          expiresAt: entity.expiresAt.toISOString(),
          ...(reissueOf ? { reissueOf } : {}),
        },
      },
    ]);
    return {
      id: entity.id,
      token,
      url: `${this.config.publicUrl}/invitations/${token}`,
      displayName,
      role: entity.role,
      partyId: entity.partyId,
      isHead,
      languages,
      expiresAt: entity.expiresAt.toISOString(),
      localOnly: linksReachOnlyThisMachine(this.config.publicUrl, this.config.host),
    };
  }

  /** Every invitation of the session, oldest first, with where it stands and who accepted it (mediators). */
  async list(cmd: { userId: string; sessionId: string }): Promise<InvitationView[]> {
    const tx = this.uow.autocommit;
    const { actor, session } = await this.roster.actor(tx, cmd.sessionId, cmd.userId);
    assertMediator(actor);
    const rows = await this.invitations.list(tx, session.id);
    const acceptors = rows.map((i) => i.acceptedByUserId).filter((u): u is string => u !== null);
    const seats = acceptors.length ? await this.roster.participantsByUsers(tx, session.id, acceptors) : [];
    const now = Date.now();
    return rows.map((i) => {
      const seat = i.acceptedByUserId ? seats.find((p) => p.userId === i.acceptedByUserId) : undefined;
      const state = invitationStatus(i, now);
      return {
        id: i.id,
        displayName: i.displayName,
        role: i.role,
        partyId: i.partyId,
        isHead: i.isHead,
        languages: i.languages,
        email: i.email,
        state,
        status: state,
        // A seat since left (account deleted, participant removed) still shows who accepted, without a participant.
        acceptedBy: i.acceptedAt ? { participantId: seat?.id ?? null, displayName: seat?.displayName ?? i.displayName ?? '' } : null,
        expiresAt: i.expiresAt.toISOString(),
        createdAt: i.createdAt.toISOString(),
        revokedAt: i.revokedAt?.toISOString() ?? null,
      };
    });
  }

  /**
   * Withdraws an invitation: its link is refused from then on (INVITATION_REVOKED). An accepted
   * invitation may be revoked too; the participant it made keeps their seat (removing someone is
   * a role change, decided as such). Revoking twice changes nothing.
   */
  revoke(cmd: { userId: string; sessionId: string; invitationId: string }): Promise<void> {
    return this.uow.transaction(async (tx) => {
      const { session, actor } = await this.roster.actor(tx, cmd.sessionId, cmd.userId, true);
      assertMayConfigure(actor, session.status);
      const inv = await this.owned(tx, session.id, cmd.invitationId);
      if (inv.revokedAt) return;
      await this.markRevoked(tx, session.id, actor, inv);
    });
  }

  /**
   * A new link for the same person (name, role, party, head, bound address); the old link is
   * revoked in the same transaction. An accepted invitation is not re-issued: its person is in.
   */
  reissue(cmd: { userId: string; sessionId: string; invitationId: string }): Promise<InvitationCreated> {
    return this.uow.transaction(async (tx) => {
      const { session, actor } = await this.roster.actor(tx, cmd.sessionId, cmd.userId, true);
      assertMayConfigure(actor, session.status);
      const inv = await this.owned(tx, session.id, cmd.invitationId);
      if (inv.acceptedAt) {
        throw new DomainError('INVITATION_USED', 'This invitation was already accepted: its person is in the session.', 'invitationId');
      }
      if (!inv.revokedAt) await this.markRevoked(tx, session.id, actor, inv);
      return this.create(
        tx,
        session,
        actor,
        {
          userId: cmd.userId,
          sessionId: session.id,
          role: inv.role,
          ...(inv.displayName ? { displayName: inv.displayName } : {}),
          ...(inv.partyId ? { partyId: inv.partyId } : {}),
          isHead: inv.isHead,
          ...(inv.languages ? { languages: inv.languages } : {}),
          ...(inv.email ? { email: inv.email } : {}),
        },
        inv.id,
      );
    });
  }

  private async owned(tx: Tx, sessionId: string, invitationId: string): Promise<Invitation> {
    const inv = await this.invitations.owned(tx, sessionId, invitationId);
    if (!inv) throw new DomainError('INVITATION_NOT_FOUND', 'No such invitation.', 'invitationId');
    return inv;
  }

  private async markRevoked(tx: Tx, sessionId: string, actor: Seat, inv: Invitation): Promise<void> {
    await this.invitations.markRevoked(tx, inv.id);
    await this.audit.append(tx, sessionId, [
      {
        type: 'invitation.revoked',
        actorUserId: actor.userId,
        actorParticipantId: actor.id,
        payload: { invitationId: inv.id, ...(inv.acceptedAt ? { accepted: true } : {}) },
      },
    ]);
  }

  /** What the link is for, shown before accepting. Only a usable invitation answers. */
  async preview(token: string): Promise<InvitationPreview> {
    const tx = this.uow.autocommit;
    const inv = await this.usable(tx, token, false);
    const session = await this.sessionOf(tx, inv, false);
    const partyName = inv.partyId ? await this.roster.partyName(tx, inv.partyId) : null;
    return {
      sessionTitle: session.title,
      role: inv.role,
      partyName,
      isHead: inv.isHead,
      languages: inv.languages,
      expiresAt: inv.expiresAt.toISOString(),
    };
  }

  /**
   * Accepts with the signed-in account (userId), or with credentials: an existing account signs
   * in, a new address gets an account. Single use: the invitation row is locked, so of two
   * concurrent acceptances exactly one succeeds.
   *
   * An invitation bound to an address is accepted only by the account holding that address — with
   * mail configured, only once the account proved it (EMAIL_NOT_VERIFIED otherwise, after mailing a
   * link that leads back here); with no mail, holding it is what counts (the binding required an
   * existing account). New credentials for a bound address register (or claim it from an account
   * that never proved it), mail the link and answer EMAIL_NOT_VERIFIED; the invitation stays pending
   * for that address. For an address a proven account holds, they sign in to it.
   */
  async accept(cmd: { token: string; userId?: string; account?: NewAccount }): Promise<InvitationAccepted> {
    if (cmd.account) await this.registerForBoundAddress(cmd.token, cmd.account);
    const outcome = await this.uow.transaction(async (tx) => {
      const inv = await this.usable(tx, cmd.token, true);
      const session = await this.sessionOf(tx, inv, true);
      assertStatusAllows(session.status, 'configure');

      const user = cmd.userId ? await this.accounts.byId(cmd.userId, tx) : await this.accountFor(tx, inv, cmd.account);
      if (inv.email && inv.email !== user.email) {
        throw new DomainError('INVITATION_EMAIL_MISMATCH', 'This invitation is for another e-mail address.', 'email');
      }
      // Committed as is (an account just registered stays); the link is mailed after the commit.
      if (inv.email && this.verification.enabled && !this.verification.isVerified(user)) return { unverified: user, accepted: null };
      if (await this.roster.isParticipant(tx, session.id, user.id)) {
        throw new DomainError('ALREADY_PARTICIPANT', 'This account already takes part in the session.');
      }
      if (inv.isHead && inv.partyId && (await this.roster.hasHead(tx, inv.partyId))) throw headExists();

      const interpreter = inv.role === 'interpreter';
      // Its pair is still declared (a language a pending invitation names cannot be dropped, so this holds but for older data).
      if (interpreter) assertInterpreterPair(inv.languages, session.languages);
      const participant = {
        id: randomUUID(),
        sessionId: session.id,
        userId: user.id,
        role: inv.role,
        // An interpreter's party is the one that brought them, never a delegation seat.
        partyId: interpreter ? null : inv.partyId,
        isHead: inv.isHead,
        displayName: user.displayName,
        broughtByPartyId: interpreter ? inv.partyId : null,
        languages: interpreter ? inv.languages : null,
      };
      await this.sessions.addParticipant(tx, participant);
      await this.invitations.markAccepted(tx, inv.id, user.id);
      await this.audit.append(tx, session.id, [
        { type: 'invitation.accepted', actorUserId: user.id, actorParticipantId: participant.id, payload: { invitationId: inv.id } },
        {
          type: 'participant.joined',
          actorUserId: user.id,
          actorParticipantId: participant.id,
          payload: {
            participantId: participant.id,
            userId: user.id,
            role: inv.role,
            // As the seat holds it: an interpreter has no delegation seat, only the party that brought them.
            partyId: participant.partyId,
            isHead: inv.isHead,
            ...(interpreter ? { broughtByPartyId: inv.partyId, languages: inv.languages } : {}),
          },
        },
      ]);
      const pair = await this.tokens.issue(user, tx);
      const accepted: InvitationAccepted = {
        ...pair,
        sessionId: session.id,
        participant: toParticipantView({ ...participant, roomId: null }),
      };
      return { unverified: null, accepted };
    });
    if (outcome.unverified) {
      const sent = await this.verification.sendLink(outcome.unverified, `/invitations/${cmd.token}`).then(
        () => true,
        () => false, // within a minute of the last link (it is on its way), or the mail server away: the page offers to resend
      );
      throw notVerified(sent);
    }
    return outcome.accepted;
  }

  /**
   * New credentials (a display name given) for an address an invitation is bound to, with mail
   * configured: registration, or a claim of an address held by an account that never proved it,
   * with the link mailed — and no seat before the address is proven.
   */
  private async registerForBoundAddress(token: string, account: NewAccount): Promise<void> {
    if (!this.verification.enabled || !account.displayName.trim()) return;
    const inv = await this.usable(this.uow.autocommit, token, false);
    if (!inv.email) return;
    if (normaliseEmail(account.email) !== inv.email) {
      throw new DomainError('INVITATION_EMAIL_MISMATCH', 'This invitation is for another e-mail address.', 'email');
    }
    const done = await this.verification.register(account, `/invitations/${token}`).catch((e: unknown) => {
      // A proven account holds the address: these credentials are a sign-in to it, checked in accept.
      if (e instanceof DomainError && e.code === 'EMAIL_TAKEN') return null;
      throw e;
    });
    if (done) throw notVerified(done.kind === 'claim' || done.verificationSent);
  }

  /** An existing address signs in with its password; a new one becomes an account. */
  private async accountFor(tx: Tx, inv: Invitation, account: NewAccount | undefined) {
    if (!account) throw new DomainError('UNAUTHENTICATED', 'Sign in, or give an e-mail, a password and a name to create an account.');
    if (await this.accounts.exists(account.email, tx)) return this.accounts.authenticate(account.email, account.password, tx);
    if (inv.email && !this.verification.enabled) {
      // The addressee's account was required when the invitation was made; it is no longer there.
      throw new DomainError(
        normaliseEmail(account.email) === inv.email ? 'INVITATION_ADDRESSEE_UNKNOWN' : 'INVITATION_EMAIL_MISMATCH',
        'This invitation is for an existing account: sign in with it.',
        'email',
      );
    }
    if (!account.displayName.trim())
      throw new DomainError('VALIDATION_FAILED', 'displayName is needed to create an account', 'displayName');
    return this.accounts.register(account, tx);
  }

  /** The invitation's session (it cannot be missing: an invitation goes with its session); `lock` as the roster's. */
  private async sessionOf(tx: Tx, inv: Invitation, lock: boolean): Promise<SessionDetails> {
    const session = await this.roster.session(tx, inv.sessionId, lock);
    if (!session) throw new Error(`the session ${inv.sessionId} of invitation ${inv.id} is missing`);
    return session;
  }

  private async usable(tx: Tx, token: string, lock: boolean): Promise<Invitation> {
    const inv = await this.invitations.byTokenHash(tx, digestToken(token), lock);
    if (!inv) throw new DomainError('INVITATION_NOT_FOUND', 'This invitation link is not valid.', 'token');
    switch (invitationStatus(inv)) {
      case 'accepted':
        throw new DomainError('INVITATION_USED', 'This invitation was already used.', 'token');
      case 'revoked':
        throw new DomainError('INVITATION_REVOKED', 'This invitation was withdrawn.', 'token');
      case 'expired':
        throw new DomainError('INVITATION_EXPIRED', 'This invitation has expired; ask the mediator for a new one.', 'token');
      case 'pending':
        return inv;
    }
  }
}
