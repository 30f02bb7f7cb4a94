import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AgreementView, ProposalChange } from '@parley/contracts';
import { editText } from '../domain';
import { AgreementStore } from '../infrastructure/agreement-store';
import { AgreementChanges } from './agreement-changes';
import { textResult } from './text-result';

export interface EditTextCommand {
  userId: string;
  sessionId: string;
  change: ProposalChange;
}

/** The mediator owns the text: inserts, rewords, deletes clauses, adds or cleans options — each a new version. */
@Injectable()
export class EditTextUseCase {
  constructor(private readonly changes: AgreementChanges, private readonly store: AgreementStore, private readonly dataSource: DataSource) {}

  async execute(cmd: EditTextCommand): Promise<AgreementView & { clauseId: string; version: number }> {
    let changed = { clauseId: '', version: 0 };
    const done = await this.changes.run(cmd, ({ state, actor, ctx }) => {
      const d = editText(state, actor, cmd.change, ctx);
      changed = { clauseId: d.clauseId, version: d.version };
      return d;
    });
    return { ...(await textResult(this.store, this.dataSource.manager, done.state)), ...changed };
  }
}
