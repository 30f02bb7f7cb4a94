import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AgreementView } from '@parley/contracts';
import { canonicalForm, finalText, finalise, sha256Hex, signOff } from '../domain';
import { AgreementStore } from '../infrastructure/agreement-store';
import { AgreementChanges } from './agreement-changes';
import { textResult } from './text-result';

/**
 * Nothing is agreed until everything is agreed: when every clause is, a mediator finalises. The
 * canonical form of the exact text is stored and its SHA-256 is what the heads of delegation sign.
 */
@Injectable()
export class FinaliseAgreementUseCase {
  constructor(private readonly changes: AgreementChanges, private readonly store: AgreementStore, private readonly dataSource: DataSource) {}

  async execute(cmd: { userId: string; sessionId: string }): Promise<AgreementView> {
    const done = await this.changes.run(cmd, ({ state, actor, session, ctx }) => {
      const canonical = canonicalForm(finalText(state, session.title));
      return { ...finalise(state, actor, sha256Hex(canonical), ctx), finalText: canonical };
    });
    return textResult(this.store, this.dataSource.manager, done.state);
  }
}

/** A head of delegation signs off the final text by its hash. */
@Injectable()
export class SignOffUseCase {
  constructor(private readonly changes: AgreementChanges, private readonly store: AgreementStore, private readonly dataSource: DataSource) {}

  async execute(cmd: { userId: string; sessionId: string; sha256: string }): Promise<AgreementView> {
    const done = await this.changes.run(cmd, ({ state, actor, ctx }) => signOff(state, actor, cmd.sha256, ctx));
    return textResult(this.store, this.dataSource.manager, done.state);
  }
}
