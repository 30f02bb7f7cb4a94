import { Injectable } from '@nestjs/common';
import type { AgreementView } from '@parley/contracts';
import { canonicalForm, finalText, finalise, sha256Hex, signOff } from '../domain';
import { AgreementChanges } from './agreement-changes';

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

/** A head of delegation signs off the final text by its hash. */
@Injectable()
export class SignOffUseCase {
  constructor(private readonly changes: AgreementChanges) {}

  execute(cmd: { userId: string; sessionId: string; sha256: string }): Promise<AgreementView> {
    return this.changes.runOnText(cmd, ({ state, actor, ctx }) => signOff(state, actor, cmd.sha256, ctx));
  }
}
