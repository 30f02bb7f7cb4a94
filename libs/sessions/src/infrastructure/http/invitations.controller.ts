import { Body, Controller, Delete, Get, HttpCode, Injectable, Param, PipeTransform, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { InvitationAccepted, InvitationCreated, InvitationPreview, InvitationView } from '@parley/contracts';
import { CurrentUser, JwtAuthGuard, OptionalJwtAuthGuard, SignInLimits, type AuthenticatedUser } from '@parley/auth';
import { DomainError, UuidParam, clientAddress } from '@parley/platform';
import { InvitationsUseCases } from '../../application/invitations.use-cases';
import { InvitationLimitGuard } from './invitation-limit.guard';
import { AcceptInvitationDto, InviteDto } from './sessions.dto';

/** Invitation tokens are 256-bit base64url strings; anything else is bad input. */
@Injectable()
class InvitationTokenParam implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[A-Za-z0-9_-]{43}$/.test(value)) throw new DomainError('VALIDATION_FAILED', 'token is not an invitation token', 'token');
    return value;
  }
}

@ApiTags('invitations')
@Controller()
export class InvitationsController {
  constructor(
    private readonly invitations: InvitationsUseCases,
    private readonly signIns: SignInLimits,
  ) {}

  @Post('sessions/:sessionId/invitations')
  @ApiBearerAuth()
  @UseGuards(JwtAuthGuard)
  invite(
    @CurrentUser() u: AuthenticatedUser,
    @Param('sessionId', new UuidParam('sessionId')) sessionId: string,
    @Body() dto: InviteDto,
  ): Promise<InvitationCreated> {
    return this.invitations.invite({ userId: u.userId, sessionId, ...dto });
  }

  @Get('sessions/:sessionId/invitations')
  @ApiBearerAuth()
  @UseGuards(JwtAuthGuard)
  list(@CurrentUser() u: AuthenticatedUser, @Param('sessionId', new UuidParam('sessionId')) sessionId: string): Promise<InvitationView[]> {
    return this.invitations.list({ userId: u.userId, sessionId });
  }

  @Delete('sessions/:sessionId/invitations/:invitationId')
  @HttpCode(204)
  @ApiBearerAuth()
  @UseGuards(JwtAuthGuard)
  revoke(
    @CurrentUser() u: AuthenticatedUser,
    @Param('sessionId', new UuidParam('sessionId')) sessionId: string,
    @Param('invitationId', new UuidParam('invitationId')) invitationId: string,
  ): Promise<void> {
    return this.invitations.revoke({ userId: u.userId, sessionId, invitationId });
  }

  /** A new link for the same person; the old one is revoked. */
  @Post('sessions/:sessionId/invitations/:invitationId/reissue')
  @ApiBearerAuth()
  @UseGuards(JwtAuthGuard)
  reissue(
    @CurrentUser() u: AuthenticatedUser,
    @Param('sessionId', new UuidParam('sessionId')) sessionId: string,
    @Param('invitationId', new UuidParam('invitationId')) invitationId: string,
  ): Promise<InvitationCreated> {
    return this.invitations.reissue({ userId: u.userId, sessionId, invitationId });
  }

  @Get('invitations/:token')
  @UseGuards(InvitationLimitGuard)
  preview(@Param('token', InvitationTokenParam) token: string): Promise<InvitationPreview> {
    return this.invitations.preview(token);
  }

  /** With a bearer token: links the signed-in account. Without: e-mail + password (+ name for a new account). */
  @Post('invitations/:token/accept')
  @ApiBearerAuth()
  @UseGuards(InvitationLimitGuard, OptionalJwtAuthGuard)
  accept(
    @Param('token', InvitationTokenParam) token: string,
    @Body() dto: AcceptInvitationDto,
    @Req() req: { user?: AuthenticatedUser; ip?: string },
  ): Promise<InvitationAccepted> {
    if (req.user) return this.invitations.accept({ token, userId: req.user.userId });
    if (!dto.email || !dto.password) {
      throw new DomainError(
        'UNAUTHENTICATED',
        'Sign in, or give an e-mail and a password (and a name for a new account).',
        dto.email ? 'password' : 'email',
      );
    }
    const account = { email: dto.email, password: dto.password, displayName: dto.displayName ?? '' };
    // The same limits and counters as sign-in: this is a second way to try a password.
    return this.signIns.attempt(dto.email, clientAddress(req), () => this.invitations.accept({ token, account }));
  }
}
