import { Injectable } from '@nestjs/common';
import type { AgreementView, ProposalChange } from '@parley/contracts';
import { editText } from '../domain';
import { AgreementChanges } from './agreement-changes';

export interface EditTextCommand {
  userId: string;
  sessionId: string;
  change: ProposalChange;
}

/** The mediator owns the text: inserts, rewords, deletes clauses, adds or cleans options — each a new version. */
@Injectable()
export class EditTextUseCase {
  constructor(private readonly changes: AgreementChanges) {}

  async execute(cmd: EditTextCommand): Promise<AgreementView & { clauseId: string; version: number }> {
    let changed = { clauseId: '', version: 0 };
    const text = await this.changes.runOnText(cmd, ({ state, actor, ctx }) => {
      const d = editText(state, actor, cmd.change, ctx);
      changed = { clauseId: d.clauseId, version: d.version };
      return d;
    });
    return { ...text, ...changed };
  }
}
