import { Injectable } from '@nestjs/common';
import type { AgreementView } from '@parley/contracts';
import { canonicalForm, finalText, finalise, sha256Hex, signOff } from '../domain';
import { AgreementChanges } from './agreement-changes';
import { Reauthentication } from './reauthentication';

/**
 * Nothing is agreed until everything is agreed: when every clause is, a mediator finalises. The
 * canonical form of the exact text is stored and its SHA-256 is what the heads of delegation sign.
 */
@Injectable()
export class FinaliseAgreementUseCase {
  constructor(private readonly changes: AgreementChanges) {}

  execute(cmd: { userId: string; sessionId: string }): Promise<AgreementView> {
    return this.changes.runOnText(cmd, ({ state, actor, session, ctx }) => {
      const canonical = canonicalForm(finalText(state, session.title));
      return { ...finalise(state, actor, sha256Hex(canonical), ctx), finalText: canonical };
    });
  }
}

/**
 * A head of delegation signs off the final text by its hash, re-entering their password: it is
 * checked afresh before anything is read or written, so a wrong one records nothing — no sign-off,
 * no audit entry — and the audit entry of a sign-off says that it was checked, and when.
 */
@Injectable()
export class SignOffUseCase {
  constructor(
    private readonly changes: AgreementChanges,
    private readonly reauthentication: Reauthentication,
  ) {}

  async execute(cmd: {
    userId: string;
    sessionId: string;
    sha256: string;
    password: string;
    clientAddress: string;
  }): Promise<AgreementView> {
    const reauthenticated = await this.reauthentication.confirm(cmd.userId, cmd.password, cmd.clientAddress);
    return this.changes.runOnText(cmd, ({ state, actor, ctx }) => signOff(state, actor, cmd.sha256, ctx, reauthenticated));
  }
}
