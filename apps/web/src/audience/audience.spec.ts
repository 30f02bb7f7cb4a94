import type { Participant, Room } from '@parley/sessions/domain/model';
import { mayEnter } from '@parley/sessions/domain/membership.policy';
import type { Roster } from '@parley/sessions/domain/audience.policy';
import { aParticipant, aRoom, codeOf } from '@parley/sessions/domain/testing.factories';
import { assertMayPost, conveyedAudience, decideSubmission } from '@parley/shuttle/domain';
import { assertMayDraft, assertMediatorActor, propose, type AgreementState } from '@parley/agreement/domain';
import { CASES, lineOf, writing, type AuthorRole, type Expected, type RoomSlot, type World } from './audience-table';
import { asAudienceMember } from './audience-member';
import { sentenceOf, sentenceText, type AudienceSentence } from './audience-sentence';
import {
  audienceAr,
  audienceCount,
  audienceEn,
  audienceFr,
  audiencePluralsAr,
  audiencePluralsEn,
  audiencePluralsFr,
} from './audience.messages';

// The world of the table: two mediators, North and South with a head and a member each, one observer.
const NORTH = 'party-north';
const SOUTH = 'party-south';
const people = {
  mediator: aParticipant('lead_mediator'),
  coMediator: aParticipant('co_mediator'),
  head: aParticipant('party_member', { partyId: NORTH, isHead: true }),
  member: aParticipant('party_member', { partyId: NORTH }),
  southHead: aParticipant('party_member', { partyId: SOUTH, isHead: true }),
  southMember: aParticipant('party_member', { partyId: SOUTH }),
  observer: aParticipant('observer'),
};
const rooms: Record<RoomSlot, Room> = {
  plenary: aRoom('plenary'),
  mediators: aRoom('mediator'),
  ownCaucus: aRoom('caucus', { partyId: NORTH }),
  otherCaucus: aRoom('caucus', { partyId: SOUTH }),
  joint: aRoom('joint', { memberIds: [people.head.id, people.southHead.id] }),
};
const world: World = { roster: { participants: Object.values(people), partyIds: [NORTH, SOUTH] }, north: NORTH, south: SOUTH, rooms };
const slotParty = { north: NORTH, south: SOUTH } as const;

/** The table's expectation with the world's party ids. */
function sentence(e: Exclude<Expected, null>): AudienceSentence {
  const s: AudienceSentence = { key: e.key };
  if (e.party) s.party = slotParty[e.party];
  if (e.count) s.count = e.count;
  if (e.wrap) s.wrap = { key: e.wrap.key, ...(e.wrap.party ? { party: slotParty[e.wrap.party] } : {}) };
  return s;
}

const drafting: AgreementState = {
  sessionId: 's1',
  status: 'drafting',
  revision: 1,
  partyIds: [NORTH, SOUTH],
  clauses: [{ id: 'c1', version: 1, heading: null, wording: { text: 'The parties agree.', segments: [] }, marks: {} }],
  finalSha256: null,
  finalisedAt: null,
  signOffs: [],
};

/** Whether the server's own rules let this author write with this composer where they are. */
function mayWrite(author: Participant, room: Room, composer: (typeof CASES)[number]['composer']): boolean {
  const located = { ...author, roomId: room.id };
  const allowed = (rule: () => unknown) => codeOf(rule) === 'allow';
  switch (composer) {
    case 'chat':
      return allowed(() => assertMayPost(located, room, 'open'));
    case 'shuttleMediatorOnly':
      return allowed(() => decideSubmission(author, { label: 'mediator_only' }, [NORTH, SOUTH], 0, new Date()));
    case 'shuttleConveyable':
      return allowed(() => decideSubmission(author, { label: 'conveyable', conveyToPartyId: SOUTH }, [NORTH, SOUTH], 0, new Date()));
    case 'proposalPrivate':
    case 'proposalTabled':
      return allowed(() =>
        propose(
          drafting,
          author,
          {
            change: { kind: 'replace', clauseId: 'c1', baseVersion: 1, wording: { text: 'New words.' } },
            visibility: composer === 'proposalTabled' ? 'tabled' : 'private',
            counterTo: null,
          },
          { now: new Date(), newId: () => 'p1' },
        ),
      );
    case 'draftParty':
      return allowed(() => assertMayDraft(located, { kind: 'party', partyId: NORTH }, rooms.ownCaucus));
    case 'draftMediators':
      return allowed(() => assertMayDraft(located, { kind: 'mediators' }, null));
    case 'document':
      return allowed(() => assertMediatorActor(author));
  }
}

const authorOf = (role: AuthorRole): Participant => people[role];

describe('"Who can see this?": role × room kind × composer → the line (generated from the table)', () => {
  it('has every case of the table', () => {
    // 5 rooms for each mediator, 3 for the head, 2 for the member, 1 for the observer; 8 composers each.
    expect(CASES).toHaveLength((5 + 5 + 3 + 2 + 1) * 8);
  });

  it.each(CASES.map((c) => [`${c.role} in ${c.room}: ${c.composer}`, c] as const))('%s', (_name, c) => {
    const author = authorOf(c.role);
    const room = rooms[c.room];
    expect(mayEnter(author, room)).toBe(true);
    expect({ mayWrite: mayWrite(author, room, c.composer) }).toEqual({ mayWrite: c.expected !== null });
    if (c.expected === null) return;
    const { line, note } = lineOf(author, writing(author, c.composer, room, world), world.roster);
    expect(sentenceOf(line, note)).toEqual(sentence(c.expected));
  });

  it('the rooms an author may not be in are those the membership rule refuses', () => {
    const refused = (['mediator', 'coMediator', 'head', 'member', 'observer'] as const).flatMap((role) =>
      (Object.keys(rooms) as RoomSlot[])
        .filter((slot) => !CASES.some((c) => c.role === role && c.room === slot))
        .map((slot) => ({ role, slot })),
    );
    for (const { role, slot } of refused)
      expect({ role, slot, may: mayEnter(authorOf(role), rooms[slot]) }).toEqual({ role, slot, may: false });
    expect(refused).toHaveLength(9);
  });
});

describe('the line in words', () => {
  const partyName = (id: string) => (id === NORTH ? 'North' : 'South');
  const line = (role: AuthorRole, slot: RoomSlot) =>
    sentenceOf(lineOf(authorOf(role), { kind: 'room', room: rooms[slot] }, world.roster).line);

  it('names who, in English, French and Arabic', () => {
    expect(sentenceText('en', line('member', 'ownCaucus'), partyName)).toBe('Who can see this: your delegation and the mediators');
    expect(sentenceText('en', line('member', 'plenary'), partyName)).toBe(
      'Who can see this: everyone in the plenary, including 1 observer',
    );
    expect(sentenceText('en', line('mediator', 'otherCaucus'), partyName)).toBe("Who can see this: South's delegation and the mediators");
    expect(sentenceText('en', line('mediator', 'mediators'), partyName)).toBe('Who can see this: only the mediators');
    expect(sentenceText('fr', line('member', 'plenary'), partyName)).toBe(
      'Qui peut voir ceci : toute la plénière, y compris 1 observateur',
    );
    expect(sentenceText('ar', line('head', 'joint'), partyName)).toBe('من يستطيع رؤية هذا: شخصان تسميهم هذه القاعة المشتركة، والوسطاء');
    const conveyable = lineOf(authorOf('member'), writing(authorOf('member'), 'shuttleConveyable', rooms.plenary, world), world.roster);
    expect(sentenceText('en', sentenceOf(conveyable.line, conveyable.note), partyName)).toBe(
      'Who can see this: your delegation and the mediators — South sees it only if the mediator conveys it',
    );
  });

  it('counts with each language’s plural forms (Arabic: zero, one, two, few, many, other)', () => {
    expect([0, 1, 2, 5].map((n) => audienceCount('en', 'observers', n))).toEqual([
      '0 observers',
      '1 observer',
      '2 observers',
      '5 observers',
    ]);
    expect([0, 1, 2, 5].map((n) => audienceCount('fr', 'observers', n))).toEqual([
      '0 observateur',
      '1 observateur',
      '2 observateurs',
      '5 observateurs',
    ]);
    expect([0, 1, 2, 3, 11, 100].map((n) => audienceCount('ar', 'observers', n))).toEqual([
      'لا مراقب',
      'مراقب واحد',
      'مراقبان',
      '3 مراقبين',
      '11 مراقبًا',
      '100 مراقب',
    ]);
  });

  it.each([
    ['fr', audienceFr, audiencePluralsFr],
    ['ar', audienceAr, audiencePluralsAr],
  ] as const)('%s has every key and plural of English, with the same placeholders', (_l, cat, plurals) => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(cat).sort()).toEqual(Object.keys(audienceEn).sort());
    for (const key of Object.keys(audienceEn) as Array<keyof typeof audienceEn>) {
      expect({ key, p: placeholders(cat[key]) }).toEqual({ key, p: placeholders(audienceEn[key]) });
    }
    expect(Object.keys(plurals).sort()).toEqual(Object.keys(audiencePluralsEn).sort());
  });
});

describe('what a mediator conveys', () => {
  const partyName = (id: string) => ({ [NORTH]: 'North', [SOUTH]: 'South', 'party-east': 'East' })[id] ?? '?';
  const msg = { partyId: NORTH, label: 'conveyable' as const, conveyToPartyId: SOUTH };

  it('reaches the sender and the receiver, with the mediators: every delegation of two', () => {
    const line = conveyedAudience(people.mediator, msg, world.roster);
    expect(sentenceOf(line)).toEqual({ key: 'audience.negotiators' });
  });

  it('with a third party, names the two delegations and leaves the third out', () => {
    const east = aParticipant('party_member', { partyId: 'party-east' });
    const roster = { participants: [...Object.values(people), east], partyIds: [NORTH, SOUTH, 'party-east'] };
    const line = conveyedAudience(people.mediator, msg, roster);
    expect(sentenceOf(line)).toEqual({ key: 'audience.delegations', parties: [NORTH, SOUTH] });
    expect(sentenceText('en', sentenceOf(line), partyName)).toBe('Who can see this: the delegations of North and South, and the mediators');
    expect(sentenceText('fr', sentenceOf(line), partyName)).toBe('Qui peut voir ceci : les délégations North et South, et les médiateurs');
  });
});

describe('interpreters in the line', () => {
  const partyName = (id: string) => (id === NORTH ? 'North' : 'South');
  // North brought one interpreter; the mediators have their own.
  const northInterpreter = aParticipant('interpreter', { broughtByPartyId: NORTH });
  const ownInterpreter = aParticipant('interpreter');
  const roster = { participants: [...Object.values(people), northInterpreter, ownInterpreter], partyIds: [NORTH, SOUTH] };
  const withInterpreters = { ...world, roster };
  const lineIn = (role: AuthorRole, slot: RoomSlot, r: Roster = roster) =>
    lineOf(authorOf(role), { kind: 'room', room: rooms[slot] }, r).line;

  it("a caucus's chat names the interpreters its party brought there: North's caucus 1, South's none", () => {
    expect(lineIn('member', 'ownCaucus').interpreters).toBe(1);
    expect(sentenceText('en', sentenceOf(lineIn('member', 'ownCaucus')), partyName)).toBe(
      'Who can see this: your delegation and the mediators, and 1 interpreter',
    );
    expect(sentenceText('fr', sentenceOf(lineIn('member', 'ownCaucus')), partyName)).toBe(
      'Qui peut voir ceci : votre délégation et les médiateurs, et 1 interprète',
    );
    expect(sentenceText('ar', sentenceOf(lineIn('member', 'ownCaucus')), partyName)).toBe('من يستطيع رؤية هذا: وفدك والوسطاء، ومترجم واحد');
    expect(lineIn('mediator', 'otherCaucus').interpreters).toBe(0);
    expect(sentenceText('en', sentenceOf(lineIn('mediator', 'otherCaucus')), partyName)).toBe(
      "Who can see this: South's delegation and the mediators",
    );
  });

  it('the plenary’s "everyone" and a joint room’s named people already include theirs; the mediators’ room has none', () => {
    expect(sentenceOf(lineIn('member', 'plenary'))).toEqual(sentenceOf(lineIn('member', 'plenary', world.roster)));
    const joint = aRoom('joint', { memberIds: [people.head.id, people.southHead.id, northInterpreter.id] });
    const line = lineOf(authorOf('head'), { kind: 'room', room: joint }, roster).line;
    expect(line).toMatchObject({ key: 'members', members: 3, interpreters: 0 });
    expect(lineIn('mediator', 'mediators').interpreters).toBe(0);
  });

  it('every case of the table: the line is the same with interpreters in the session, but for the count of those who read it', () => {
    for (const c of CASES) {
      const author = authorOf(c.role);
      const x = writing(author, c.composer, rooms[c.room], withInterpreters);
      if (!x) continue;
      const plain = lineOf(author, x, world.roster);
      const more = lineOf(author, x, roster);
      expect({ ...c, line: { ...more.line, interpreters: 0 } }).toEqual({ ...c, line: plain.line });
      // Only a room's chat reaches an interpreter (no shuttle, drafts or proposals), and only North's or the plenary's.
      if (c.composer !== 'chat' || c.room === 'otherCaucus' || c.room === 'mediators')
        expect({ ...c, n: more.line.interpreters }).toEqual({ ...c, n: 0 });
    }
  });

  it("the page's roster: an interpreter's view (partyId: the party that brought them) becomes the rules' broughtByPartyId", () => {
    expect(asAudienceMember({ id: 'i1', role: 'interpreter', partyId: NORTH, isHead: false })).toEqual({
      id: 'i1',
      role: 'interpreter',
      partyId: null,
      broughtByPartyId: NORTH,
      isHead: false,
    });
    expect(asAudienceMember({ id: 'p1', role: 'party_member', partyId: NORTH, isHead: true })).toEqual({
      id: 'p1',
      role: 'party_member',
      partyId: NORTH,
      isHead: true,
    });
    const fromViews = {
      participants: roster.participants.map((p) => asAudienceMember({ ...p, partyId: p.partyId ?? p.broughtByPartyId ?? null })),
      partyIds: roster.partyIds,
    };
    expect(lineIn('member', 'ownCaucus', fromViews).interpreters).toBe(1);
  });
});
