import { Injectable } from '@nestjs/common';
import type { AgreementView, ProposalChange } from '@parley/contracts';
import { DomainError } from '@parley/platform';
import { assertMediatorActor, editText, type Reauthenticated } from '../domain';
import { AgreementChanges } from './agreement-changes';
import { Reauthentication } from './reauthentication';

export interface EditTextCommand {
  userId: string;
  sessionId: string;
  change: ProposalChange;
  /** The mediator's password typed again, and where the request came from: a delete needs it. */
  reauth?: { password: string; clientAddress: string };
}

/**
 * The mediator owns the text: inserts, rewords, deletes clauses, adds or cleans options — each a new version.
 *
 * Deleting a clause takes the mediator's password again, as signing off takes the head's: who may
 * delete is checked first (a delegation or an observer is refused as before, its password neither
 * asked for nor counted); then the password is checked afresh with the Reauthentication port, under
 * the sign-in limits (a wrong one counts like a failed sign-in; past the limits, 429 before it is
 * looked at), before the text is read for the change, so a wrong one deletes nothing and enters
 * nothing in the audit; the deletion's audit entry says that it was checked, and when.
 * Adopting a proposal to delete a clause is not covered: that deletion was tabled and answered by
 * the parties, and the adoption is its own act (AdoptProposalUseCase).
 */
@Injectable()
export class EditTextUseCase {
  constructor(
    private readonly changes: AgreementChanges,
    private readonly reauthentication: Reauthentication,
  ) {}

  async execute(cmd: EditTextCommand): Promise<AgreementView & { clauseId: string; version: number }> {
    const reauthenticated = cmd.change.kind === 'delete' ? await this.confirmDelete(cmd) : undefined;
    if (cmd.change.kind !== 'delete' && cmd.reauth) {
      throw new DomainError('VALIDATION_FAILED', 'Only deleting a clause takes a password.', 'password');
    }
    let changed = { clauseId: '', version: 0 };
    const text = await this.changes.runOnText(cmd, ({ state, actor, ctx }) => {
      const d = editText(state, actor, cmd.change, ctx, reauthenticated);
      changed = { clauseId: d.clauseId, version: d.version };
      return d;
    });
    return { ...text, ...changed };
  }

  private async confirmDelete(cmd: EditTextCommand): Promise<Reauthenticated> {
    assertMediatorActor((await this.changes.actor(cmd)).actor);
    if (!cmd.reauth) {
      throw new DomainError('VALIDATION_FAILED', 'Deleting a clause takes your password, typed again.', 'password');
    }
    try {
      return await this.reauthentication.confirm(cmd.userId, cmd.reauth.password, cmd.reauth.clientAddress);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'INVALID_CREDENTIALS') {
        throw new DomainError('INVALID_CREDENTIALS', 'The password is wrong: nothing was deleted.', 'password');
      }
      throw e;
    }
  }
}
