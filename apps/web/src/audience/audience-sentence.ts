import type { AudienceLine } from '@parley/sessions/domain/audience.policy';
import { audienceCount, audienceText, type AudienceCount, type AudienceMessageKey, type Locale } from './audience.messages';

/**
 * What a line says besides who: on the negotiating text, that observers read it as tabled; under
 * a shuttle message for the mediator only, that it never reaches another party; under a party's
 * draft, that members read it in their caucus.
 */
export type AudienceNote = 'tabledText' | 'mediatorOnly' | 'inCaucus';

/** A sentence as keys and values, before words: what the tests check against the domain's line. */
export interface AudienceSentence {
  key: AudienceMessageKey;
  /** The party named (`delegation`), by id. */
  party?: string;
  /** The parties named (`delegations`), by id. */
  parties?: string[];
  /** A counted noun and its count. */
  count?: { what: AudienceCount; n: number };
  /** Interpreters who see it besides those named: "…, and 1 interpreter". */
  interpreters?: number;
  /** A suffix that wraps the sentence. */
  wrap?: { key: AudienceMessageKey; party?: string };
}

/** The sentence for a domain audience line (pure; no words yet). */
export function sentenceOf(line: AudienceLine, note?: AudienceNote): AudienceSentence {
  let s: AudienceSentence;
  switch (line.key) {
    case 'everyone':
      s =
        note === 'tabledText'
          ? { key: 'audience.everyoneText', count: { what: 'observers', n: line.observers } }
          : line.observers > 0
            ? { key: 'audience.everyoneWith', count: { what: 'observers', n: line.observers } }
            : { key: 'audience.everyone' };
      break;
    case 'negotiators':
      s = { key: 'audience.negotiators' };
      break;
    case 'delegation':
      s = line.own ? { key: 'audience.ownDelegation' } : { key: 'audience.delegation', party: line.partyId ?? '' };
      break;
    case 'delegations':
      s = { key: 'audience.delegations', parties: line.partyIds };
      break;
    case 'members':
      s = { key: 'audience.members', count: { what: 'people', n: line.members } };
      break;
    case 'mediators':
      s = { key: 'audience.mediators' };
      break;
    case 'nobody':
      s = { key: 'audience.nobody' };
      break;
  }
  if (line.interpreters > 0) s = { ...s, interpreters: line.interpreters };
  if (line.ifConveyedTo) return { ...s, wrap: { key: 'audience.ifConveyed', party: line.ifConveyedTo } };
  if (note === 'mediatorOnly') return { ...s, wrap: { key: 'audience.neverConveyed' } };
  if (note === 'inCaucus' && line.key === 'delegation' && line.own) return { ...s, wrap: { key: 'audience.inCaucus' } };
  return s;
}

/** The sentence in words: "Who can see this: your delegation and the mediators". */
export function sentenceText(locale: Locale, s: AudienceSentence, partyName: (id: string) => string): string {
  const vars: Record<string, string> = {};
  if (s.party !== undefined) vars.party = partyName(s.party);
  if (s.parties) vars.parties = new Intl.ListFormat(locale, { type: 'conjunction' }).format(s.parties.map(partyName));
  if (s.count) vars[s.count.what] = audienceCount(locale, s.count.what, s.count.n);
  let who = audienceText(locale, s.key, vars);
  if (s.interpreters)
    who = audienceText(locale, 'audience.andInterpreters', { who, interpreters: audienceCount(locale, 'interpreters', s.interpreters) });
  if (s.wrap) who = audienceText(locale, s.wrap.key, { who, ...(s.wrap.party !== undefined ? { party: partyName(s.wrap.party) } : {}) });
  return audienceText(locale, 'audience.prefix', { who });
}
