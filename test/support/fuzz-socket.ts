import fc from 'fast-check';
import { CLIENT_EVENTS, DEPRECATED_CLIENT_EVENTS } from '@parley/contracts';
import { hostileKey, hostileValue, payloadFor, withKey, type Mutation, type Resolve, type Schema } from './fuzz-values';

type ClientEvent = (typeof CLIENT_EVENTS)[number];

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const id = { type: 'string' } as const;
/** A DTO of the OpenAPI document with the ids the HTTP path carries added as fields. */
const withIds = (dto: string, ids: Record<string, Schema>, resolve: Resolve): Schema => {
  const s = resolve(ref(dto));
  return { ...s, properties: { ...ids, ...s.properties }, required: [...Object.keys(ids), ...(s.required ?? [])] };
};

/**
 * The socket contract (libs/contracts/src/socket.ts) as schemas, in the OpenAPI document's form and
 * reusing its DTOs where an event takes the same body. The Record makes the compiler name every event.
 */
export function socketSchemas(resolve: Resolve): Record<ClientEvent, Schema> {
  const empty: Schema = { type: 'object', properties: {} };
  return {
    'auth.renew': { type: 'object', properties: { token: id }, required: ['token'] },
    'session.join': { type: 'object', properties: { sessionId: id }, required: ['sessionId'] },
    'participant.admit': withIds('PlaceDto', { participantId: id }, resolve),
    'participant.move': withIds('PlaceDto', { participantId: id }, resolve),
    'participant.send-to-lobby': { type: 'object', properties: { participantId: id }, required: ['participantId'] },
    'session.change-status': ref('ChangeStatusDto'),
    'presence.get': empty,
    'invitation.create': ref('InviteDto'),
    'chat.post': withIds('ChatPostDto', { roomId: id }, resolve),
    'room.history': {
      type: 'object',
      properties: {
        roomId: id,
        afterSeq: { type: 'integer' },
        beforeSeq: { type: 'integer' },
        limit: { type: 'integer', minimum: 1, maximum: 200 },
      },
      required: ['roomId'],
    },
    'shuttle.submit': ref('ShuttleSubmitDto'),
    'shuttle.withdraw': { type: 'object', properties: { messageId: id }, required: ['messageId'] },
    'shuttle.decide': withIds('ShuttleDecideDto', { messageId: id }, resolve),
    'shuttle.list': empty,
    'agreement.get': empty,
    'agreement.edit': ref('EditDto'),
    'agreement.propose': ref('ProposeDto'),
    'agreement.respond': withIds('RespondDto', { proposalId: id }, resolve),
    'agreement.mark': withIds('MarkDto', { clauseId: id }, resolve),
    'draft.sync': {
      type: 'object',
      properties: {
        draft: {
          type: 'object',
          properties: { kind: { type: 'string', enum: ['mediators', 'party'] }, partyId: id },
          required: ['kind'],
        },
        message: { binary: true },
      },
      required: ['draft', 'message'],
    },
    'media.join': { type: 'object', properties: { audioOnly: { type: 'boolean' } } },
    'media.publish': {
      type: 'object',
      properties: {
        offerSdp: { type: 'string', maxLength: 2000 },
        kinds: { type: 'array', items: { type: 'string', enum: ['audio', 'video', 'screen'] } },
        channel: { type: 'string', maxLength: 16 },
      },
      required: ['offerSdp', 'kinds'],
    },
    'media.subscribe': { type: 'object', properties: { feedIds: { type: 'array', items: id } } },
    'media.answer': { type: 'object', properties: { answerSdp: { type: 'string', maxLength: 2000 } }, required: ['answerSdp'] },
    'media.leave': empty,
    'media.state': {
      type: 'object',
      properties: { micOn: { type: 'boolean' }, cameraOn: { type: 'boolean' } },
      required: ['micOn', 'cameraOn'],
    },
    'media.take-channel': { type: 'object', properties: { channel: { type: 'string', maxLength: 16 } }, required: ['channel'] },
    'media.layer': { type: 'object', properties: { layer: { type: 'string', enum: ['low', 'high'] } }, required: ['layer'] },
    'hand.raise': empty,
    'hand.lower': { type: 'object', properties: { participantId: id } },
    'timer.set': {
      type: 'object',
      properties: {
        roomId: id,
        seconds: { type: 'integer', minimum: 1, maximum: 86400 },
        purpose: { type: 'string', enum: ['speaking', 'break', 'other'] },
        label: { type: 'string', maxLength: 80 },
      },
      required: ['roomId', 'seconds', 'purpose'],
    },
    'timer.clear': { type: 'object', properties: { roomId: id }, required: ['roomId'] },
    'floor.get': empty,
  };
}

/** Events a state-changing request may be refused on (the rest only read). */
export const READ_EVENTS: ReadonlySet<string> = new Set(['presence.get', 'room.history', 'shuttle.list', 'agreement.get', 'floor.get']);

export const SOCKET_ROLES = ['lead', 'member', 'observer', 'outsider'] as const;
export type SocketRole = (typeof SOCKET_ROLES)[number];

export interface SocketCase {
  role: SocketRole;
  /** The name sent: the event, a deprecated name of it, or one no route has. */
  name: string;
  /** `none`: emitted with the acknowledgement only; `extra`: with a second argument before it. */
  shape: 'payload' | 'none' | 'extra';
  payload: unknown;
  mutation: Mutation;
}

const deprecatedOf = (event: ClientEvent): string[] =>
  Object.entries(DEPRECATED_CLIENT_EVENTS)
    .filter(([, now]) => now === event)
    .map(([old]) => old);

/** A socket request for `event`: its payload valid-ish or hostile, sometimes under an odd name or shape. */
export function socketCase(event: ClientEvent, schema: Schema, resolve: Resolve): fc.Arbitrary<SocketCase> {
  const names = [event, ...deprecatedOf(event)];
  return fc
    .record({
      role: fc.oneof(
        { arbitrary: fc.constant<SocketRole>('lead'), weight: 3 },
        { arbitrary: fc.constant<SocketRole>('member'), weight: 3 },
        { arbitrary: fc.constant<SocketRole>('observer'), weight: 2 },
        { arbitrary: fc.constant<SocketRole>('outsider'), weight: 1 },
      ),
      name: fc.oneof(
        { arbitrary: fc.constantFrom(...names), weight: 19 },
        { arbitrary: fc.constantFrom(`${event}.x`, event.toUpperCase(), '__proto__', 'constructor', 'x\u0000', ''), weight: 1 },
      ),
      shape: fc.oneof(
        { arbitrary: fc.constant('payload' as const), weight: 18 },
        { arbitrary: fc.constantFrom('none' as const, 'extra' as const), weight: 1 },
      ),
    })
    .chain((c) => payloadFor(schema, resolve).map(({ value, mutation }) => ({ ...c, payload: value, mutation })));
}

/** Hostile `auth` objects for a handshake without a valid token. */
export const hostileHandshake: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.constant({}),
  hostileValue.map((token) => ({ token })),
  fc.tuple(hostileKey, hostileValue).map(([k, v]) => withKey({}, k, v)),
);
