import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import type {
  InvitableRole,
  InvitationAccepted,
  InvitationCreated,
  InvitationPreview,
  InvitationState,
  InvitationView,
} from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { Accounts, AuthTokens, EmailVerification, digestToken, newOpaqueToken, normaliseEmail, type NewAccount } from '@parley/auth';
import { APP_CONFIG, DomainError, type AppConfig } from '@parley/platform';
import { assertInvitationQuota, assertMayConfigure, assertMayInvite, assertMediator, assertStatusAllows } from '../domain';
import { InvitationEntity, MediationSessionEntity, ParticipantEntity, PartyEntity } from '../infrastructure/persistence';
import { linksReachOnlyThisMachine } from './public-url';
import { loadActor } from './session-access';
import { toParticipantView } from './views';

export interface InviteCommand {
  userId: string;
  sessionId: string;
  role: InvitableRole;
  /** The person it is for (already validated as a name). */
  displayName?: string;
  partyId?: string;
  isHead?: boolean;
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

/**
 * Where an invitation stands. Revoked wins over accepted: a mediator may withdraw an accepted
 * invitation (its link then says so), which leaves the participant it made in place — taking a
 * seat away is a role change, not this.
 */
const statusOf = (i: InvitationEntity, now = Date.now()): InvitationStatus =>
  i.revokedAt ? 'revoked' : i.acceptedAt ? 'accepted' : i.expiresAt.getTime() <= now ? 'expired' : 'pending';

async function assertNoHead(manager: EntityManager, partyId: string): Promise<void> {
  if (await manager.getRepository(ParticipantEntity).exists({ where: { partyId, isHead: true } })) {
    throw new DomainError('PARTY_HEAD_EXISTS', 'This party already has a head of delegation.', 'isHead');
  }
}

/** Invitations: a single-use, expiring link that brings a person into a session with a role. */
@Injectable()
export class InvitationsUseCases {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly accounts: Accounts,
    private readonly tokens: AuthTokens,
    private readonly verification: EmailVerification,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  invite(cmd: InviteCommand): Promise<InvitationCreated> {
    return this.dataSource.transaction(async (manager) => {
      const { session, actor } = await loadActor(manager, cmd.sessionId, cmd.userId, true);
      return this.create(manager, session, actor, cmd, null);
    });
  }

  /** Checks and writes one invitation (the session row is locked by the caller). */
  private async create(
    manager: EntityManager,
    session: MediationSessionEntity,
    actor: ParticipantEntity,
    cmd: InviteCommand,
    reissueOf: string | null,
  ): Promise<InvitationCreated> {
    assertMayInvite(actor, cmd.role, session.status);
    const isHead = cmd.isHead ?? false;
    if (cmd.role === 'party_member') {
      if (!cmd.partyId) throw new DomainError('VALIDATION_FAILED', 'A party member invitation names the party.', 'partyId');
      if (!(await manager.getRepository(PartyEntity).exists({ where: { id: cmd.partyId, sessionId: session.id } }))) {
        throw new DomainError('PARTY_NOT_FOUND', 'No such party in this session.', 'partyId');
      }
      if (isHead) await assertNoHead(manager, cmd.partyId);
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
    if (email && !this.verification.enabled && !(await this.accounts.exists(email, manager))) {
      throw new DomainError(
        'INVITATION_ADDRESSEE_UNKNOWN',
        'No account holds this address, and this server sends no mail to confirm it: ask the person to create an account first, or leave the address out.',
        'email',
      );
    }
    // The session row is locked (loadActor): invitations of one session are counted one at a time.
    const invited = await manager.getRepository(InvitationEntity).count({ where: { sessionId: session.id } });
    assertInvitationQuota(invited, this.config.quotas.invitationsPerSession);
    const token = newOpaqueToken();
    const displayName = cmd.displayName ?? null;
    const entity: InvitationEntity = manager.getRepository(InvitationEntity).create({
      id: randomUUID(),
      sessionId: session.id,
      tokenHash: digestToken(token),
      displayName,
      role: cmd.role,
      partyId: cmd.role === 'party_member' ? cmd.partyId! : null,
      isHead,
      email,
      createdByParticipantId: actor.id,
      expiresAt: new Date(Date.now() + this.config.invitationTtlSeconds * 1000),
      acceptedAt: null,
      acceptedByUserId: null,
      revokedAt: null,
    });
    await manager.getRepository(InvitationEntity).insert(entity);
    await this.audit.append(manager, session.id, [
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
      expiresAt: entity.expiresAt.toISOString(),
      localOnly: linksReachOnlyThisMachine(this.config.publicUrl, this.config.host),
    };
  }

  /** Every invitation of the session, oldest first, with where it stands and who accepted it (mediators). */
  async list(cmd: { userId: string; sessionId: string }): Promise<InvitationView[]> {
    const { actor, session } = await loadActor(this.dataSource.manager, cmd.sessionId, cmd.userId);
    assertMediator(actor);
    const rows = await this.dataSource
      .getRepository(InvitationEntity)
      .find({ where: { sessionId: session.id }, order: { createdAt: 'ASC', id: 'ASC' } });
    const acceptors = rows.map((i) => i.acceptedByUserId).filter((u): u is string => u !== null);
    const seats = acceptors.length
      ? await this.dataSource.getRepository(ParticipantEntity).find({ where: { sessionId: session.id, userId: In(acceptors) } })
      : [];
    const now = Date.now();
    return rows.map((i) => {
      const seat = i.acceptedByUserId ? seats.find((p) => p.userId === i.acceptedByUserId) : undefined;
      const state = statusOf(i, now);
      return {
        id: i.id,
        displayName: i.displayName,
        role: i.role,
        partyId: i.partyId,
        isHead: i.isHead,
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
    return this.dataSource.transaction(async (manager) => {
      const { session, actor } = await loadActor(manager, cmd.sessionId, cmd.userId, true);
      assertMayConfigure(actor, session.status);
      const inv = await this.owned(manager, session.id, cmd.invitationId);
      if (inv.revokedAt) return;
      await this.markRevoked(manager, session.id, actor, inv);
    });
  }

  /**
   * A new link for the same person (name, role, party, head, bound address); the old link is
   * revoked in the same transaction. An accepted invitation is not re-issued: its person is in.
   */
  reissue(cmd: { userId: string; sessionId: string; invitationId: string }): Promise<InvitationCreated> {
    return this.dataSource.transaction(async (manager) => {
      const { session, actor } = await loadActor(manager, cmd.sessionId, cmd.userId, true);
      assertMayConfigure(actor, session.status);
      const inv = await this.owned(manager, session.id, cmd.invitationId);
      if (inv.acceptedAt) {
        throw new DomainError('INVITATION_USED', 'This invitation was already accepted: its person is in the session.', 'invitationId');
      }
      if (!inv.revokedAt) await this.markRevoked(manager, session.id, actor, inv);
      return this.create(
        manager,
        session,
        actor,
        {
          userId: cmd.userId,
          sessionId: session.id,
          role: inv.role,
          ...(inv.displayName ? { displayName: inv.displayName } : {}),
          ...(inv.partyId ? { partyId: inv.partyId } : {}),
          isHead: inv.isHead,
          ...(inv.email ? { email: inv.email } : {}),
        },
        inv.id,
      );
    });
  }

  private async owned(manager: EntityManager, sessionId: string, invitationId: string): Promise<InvitationEntity> {
    const inv = await manager.getRepository(InvitationEntity).findOne({ where: { id: invitationId, sessionId } });
    if (!inv) throw new DomainError('INVITATION_NOT_FOUND', 'No such invitation.', 'invitationId');
    return inv;
  }

  private async markRevoked(manager: EntityManager, sessionId: string, actor: ParticipantEntity, inv: InvitationEntity): Promise<void> {
    await manager.getRepository(InvitationEntity).update({ id: inv.id }, { revokedAt: new Date() });
    await this.audit.append(manager, sessionId, [
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
    const inv = await this.usable(this.dataSource.manager, token, false);
    const session = await this.dataSource.getRepository(MediationSessionEntity).findOneByOrFail({ id: inv.sessionId });
    const party = inv.partyId ? await this.dataSource.getRepository(PartyEntity).findOneBy({ id: inv.partyId }) : null;
    return {
      sessionTitle: session.title,
      role: inv.role,
      partyName: party?.name ?? null,
      isHead: inv.isHead,
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
    const outcome = await this.dataSource.transaction(async (manager) => {
      const inv = await this.usable(manager, cmd.token, true);
      const session = await manager
        .getRepository(MediationSessionEntity)
        .findOneOrFail({ where: { id: inv.sessionId }, lock: { mode: 'pessimistic_write' } });
      assertStatusAllows(session.status, 'configure');

      const user = cmd.userId ? await this.accounts.byId(cmd.userId, manager) : await this.accountFor(manager, inv, cmd.account);
      if (inv.email && inv.email !== user.email) {
        throw new DomainError('INVITATION_EMAIL_MISMATCH', 'This invitation is for another e-mail address.', 'email');
      }
      // Committed as is (an account just registered stays); the link is mailed after the commit.
      if (inv.email && this.verification.enabled && !this.verification.isVerified(user)) return { unverified: user, accepted: null };
      if (await manager.getRepository(ParticipantEntity).exists({ where: { sessionId: session.id, userId: user.id } })) {
        throw new DomainError('ALREADY_PARTICIPANT', 'This account already takes part in the session.');
      }
      if (inv.isHead && inv.partyId) await assertNoHead(manager, inv.partyId);

      const participant = manager.getRepository(ParticipantEntity).create({
        id: randomUUID(),
        sessionId: session.id,
        userId: user.id,
        role: inv.role,
        partyId: inv.partyId,
        isHead: inv.isHead,
        displayName: user.displayName,
        roomId: null,
      });
      await manager.getRepository(ParticipantEntity).insert(participant);
      await manager.getRepository(InvitationEntity).update({ id: inv.id }, { acceptedAt: new Date(), acceptedByUserId: user.id });
      await this.audit.append(manager, session.id, [
        { type: 'invitation.accepted', actorUserId: user.id, actorParticipantId: participant.id, payload: { invitationId: inv.id } },
        {
          type: 'participant.joined',
          actorUserId: user.id,
          actorParticipantId: participant.id,
          payload: { participantId: participant.id, userId: user.id, role: inv.role, partyId: inv.partyId, isHead: inv.isHead },
        },
      ]);
      const pair = await this.tokens.issue(user, manager);
      const accepted: InvitationAccepted = { ...pair, sessionId: session.id, participant: toParticipantView(participant) };
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
    const inv = await this.usable(this.dataSource.manager, token, false);
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
  private async accountFor(manager: EntityManager, inv: InvitationEntity, account: NewAccount | undefined) {
    if (!account) throw new DomainError('UNAUTHENTICATED', 'Sign in, or give an e-mail, a password and a name to create an account.');
    if (await this.accounts.exists(account.email, manager)) return this.accounts.authenticate(account.email, account.password, manager);
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
    return this.accounts.register(account, manager);
  }

  private async usable(manager: EntityManager, token: string, lock: boolean): Promise<InvitationEntity> {
    const inv = await manager.getRepository(InvitationEntity).findOne({
      where: { tokenHash: digestToken(token) },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!inv) throw new DomainError('INVITATION_NOT_FOUND', 'This invitation link is not valid.', 'token');
    switch (statusOf(inv)) {
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
