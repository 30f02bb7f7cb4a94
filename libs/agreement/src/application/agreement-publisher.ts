import { Inject, Injectable } from '@nestjs/common';
import { REALTIME_CHANNEL, type Participant, type RealtimeChannel } from '@parley/sessions';
import { proposalParties, textViewFor, type AgreementEvent, type AgreementState, type Proposal } from '../domain';
import type { Names } from './agreement-store';
import { agreementView, proposalView } from './agreement-views';

/** The audiences of a proposal, as the visibility rules see them. */
const MEDIATORS: Participant = { id: '', role: 'co_mediator', partyId: null, isHead: false };
const OBSERVER: Participant = { id: '', role: 'observer', partyId: null, isHead: false };
const delegation = (partyId: string): Participant => ({ id: '', role: 'party_member', partyId, isHead: false });

/**
 * What a committed change of the agreement sends, and to whom. The text goes to the mediators and
 * every delegation in full, and to the observers' channel (observers and interpreters: neither is a
 * delegation) without the negotiation (marks, support). A
 * proposal goes to the mediators and, if tabled, to every delegation; if private, to its own only.
 */
@Injectable()
export class AgreementPublisher {
  constructor(@Inject(REALTIME_CHANNEL) private readonly channel: RealtimeChannel) {}

  /** `names` is given when the text changed (and so is sent). */
  publish(state: AgreementState, events: readonly AgreementEvent[], names: Names | null): void {
    const proposals = new Map<string, Proposal>();
    for (const e of events) if ('proposal' in e) proposals.set(e.proposal.id, e.proposal);
    for (const p of proposals.values()) {
      this.channel.toMediators(state.sessionId, 'agreement.proposal', proposalView(state.sessionId, p, MEDIATORS));
      const parties = proposalParties(p, state.partyIds);
      for (const party of parties) this.channel.toParty(party, 'agreement.proposal', proposalView(state.sessionId, p, delegation(party)));
    }
    if (!names) return;
    const full = agreementView(state, textViewFor(MEDIATORS), names);
    this.channel.toMediators(state.sessionId, 'agreement.text', full);
    for (const party of state.partyIds) this.channel.toParty(party, 'agreement.text', full);
    this.channel.toObservers(state.sessionId, 'agreement.text', agreementView(state, textViewFor(OBSERVER), names));
  }
}
