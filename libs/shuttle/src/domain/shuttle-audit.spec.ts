import { createHash } from 'node:crypto';
import { chain, readableTrail, verifyTrail, type AuditEntry, type AuditFact, type TrailEntry } from '@parley/audit';
import { aParticipant } from '@parley/sessions/domain/testing.factories';
import type { ShuttleStatus } from '@parley/contracts';
import { maySeeMessage, type ShuttleMessage } from './shuttle';
import { releaseFact, submissionFact, withdrawalFact } from './shuttle-audit';

const at = new Date('2026-12-01T10:00:00.000Z');
const TEXT = 'Agreed MKCOOL';
const textSha256 = createHash('sha256').update(TEXT, 'utf8').digest('hex');
const member = aParticipant('party_member', { partyId: 'A' });
const mediator = aParticipant('lead_mediator');
const by = { userId: 'u-author', participantId: member.id };
const aMessage = (status: ShuttleStatus): ShuttleMessage => ({
  id: 'm1',
  partyId: 'A',
  authorParticipantId: member.id,
  label: 'conveyable',
  conveyToPartyId: 'B',
  text: TEXT,
  status,
  releaseAt: at,
});

/** The trail of a message's life, from its submission with `first` status, as the mediators read it. */
const lifeOf = (first: ShuttleStatus, ...later: AuditFact[]): TrailEntry[] =>
  readableTrail(
    chain(
      's1',
      null,
      [
        { type: 'session.created', actorUserId: null, actorParticipantId: null, payload: {} },
        submissionFact(aMessage(first), by, textSha256),
        ...later,
      ],
      at,
    ),
  );
const mentions = (e: TrailEntry, what: string) => JSON.stringify(e).includes(what);

/**
 * Each step of a message's life: its status then, and its trail. The rule the test holds them to:
 * the mediators read the message's entries exactly when they may know the message exists.
 */
const STEPS: Array<[string, ShuttleStatus, TrailEntry[]]> = [
  ['submitted with no cooling-off', 'pending', lifeOf('pending')],
  ['cooling off', 'cooling', lifeOf('cooling')],
  ['withdrawn while cooling', 'withdrawn', lifeOf('cooling', withdrawalFact('m1', by))],
  ['withdrawn, its period over', 'withdrawn', lifeOf('cooling', withdrawalFact('m1', by))],
  ['released to the queue', 'pending', lifeOf('cooling', releaseFact('m1'))],
];

describe('the audit of a shuttle message keeps the cooling-off rule', () => {
  it.each(STEPS)('%s: the mediators read its entries exactly when they may see the message', (_step, status, trail) => {
    const mayKnow = maySeeMessage(mediator, aMessage(status));
    const aboutIt = trail.slice(1);
    expect(aboutIt.every((e) => e.type !== 'sealed')).toBe(mayKnow);
    expect(aboutIt.every((e) => e.type === 'sealed')).toBe(!mayKnow);
    for (const secret of [textSha256, member.id, 'u-author', 'conveyable', 'm1']) {
      expect({ secret, shown: aboutIt.some((e) => mentions(e, secret)) }).toEqual({ secret, shown: mayKnow });
    }
    expect(trail.some((e) => mentions(e, TEXT))).toBe(false); // the text itself, never
  });

  it.each(STEPS)('%s: the chain verifies over what the mediators see', (_step, _status, trail) => {
    expect(verifyTrail('s1', trail)).toEqual({ valid: true, length: trail.length });
  });

  it('once released, the submission reads as it would have without a cooling-off', () => {
    const released = lifeOf('cooling', releaseFact('m1'))[1] as Omit<AuditEntry, 'sessionId'>;
    const direct = lifeOf('cooling')[1];
    expect(direct.type).toBe('sealed');
    expect(released).toMatchObject({
      type: 'shuttle.message.submitted',
      actorParticipantId: member.id,
      payload: { messageId: 'm1', partyId: 'A', label: 'conveyable', conveyToPartyId: 'B', status: 'cooling', textSha256 },
    });
  });

  it('the withdrawal is sealed under the submission key, which only the release opens', () => {
    expect(withdrawalFact('m1', by).payload.seal).toMatchObject({ key: 'shuttle.message:m1' });
    expect(releaseFact('m1').payload.unseals).toEqual(['shuttle.message:m1']);
    expect(submissionFact(aMessage('cooling'), by, textSha256).payload.seal).toMatchObject({ key: 'shuttle.message:m1' });
    expect(submissionFact(aMessage('pending'), by, textSha256).payload.seal).toBeUndefined();
  });
});
