import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AgreementView, MarkLevel } from '@parley/contracts';
import { mark, supportOption } from '../domain';
import { AgreementStore } from '../infrastructure/agreement-store';
import { AgreementChanges } from './agreement-changes';
import { textResult } from './text-result';

interface OnClause {
  userId: string;
  sessionId: string;
  clauseId: string;
  baseVersion: number;
}

/** A delegation records which option of a disputed segment it supports. */
@Injectable()
export class SupportOptionUseCase {
  constructor(private readonly changes: AgreementChanges, private readonly store: AgreementStore, private readonly dataSource: DataSource) {}

  async execute(cmd: OnClause & { segmentId: string; optionId: string }): Promise<AgreementView> {
    const done = await this.changes.run(cmd, ({ state, actor }) => supportOption(state, actor, cmd));
    return textResult(this.store, this.dataSource.manager, done.state);
  }
}

/** A delegation marks a clause agreed ad referendum, then agreed — or takes its mark back. */
@Injectable()
export class MarkClauseUseCase {
  constructor(private readonly changes: AgreementChanges, private readonly store: AgreementStore, private readonly dataSource: DataSource) {}

  async execute(cmd: OnClause & { level: MarkLevel }): Promise<AgreementView> {
    const done = await this.changes.run(cmd, ({ state, actor }) => mark(state, actor, cmd));
    return textResult(this.store, this.dataSource.manager, done.state);
  }
}
