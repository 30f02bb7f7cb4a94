import { Injectable } from '@nestjs/common';
import type { AgreementView, MarkLevel } from '@parley/contracts';
import { mark, supportOption } from '../domain';
import { AgreementChanges } from './agreement-changes';

interface OnClause {
  userId: string;
  sessionId: string;
  clauseId: string;
  baseVersion: number;
}

/** A delegation records which option of a disputed segment it supports, or withdraws its support (null). */
@Injectable()
export class SupportOptionUseCase {
  constructor(private readonly changes: AgreementChanges) {}

  execute(cmd: OnClause & { segmentId: string; optionId: string | null }): Promise<AgreementView> {
    return this.changes.runOnText(cmd, ({ state, actor }) => supportOption(state, actor, cmd));
  }
}

/** A delegation marks a clause agreed ad referendum, then agreed — or takes its mark back. */
@Injectable()
export class MarkClauseUseCase {
  constructor(private readonly changes: AgreementChanges) {}

  execute(cmd: OnClause & { level: MarkLevel }): Promise<AgreementView> {
    return this.changes.runOnText(cmd, ({ state, actor }) => mark(state, actor, cmd));
  }
}
