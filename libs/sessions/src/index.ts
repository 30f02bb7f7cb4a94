// What the sessions context offers other contexts: its domain, the ports they speak through, its
// Nest module, and the realtime pieces their socket routes hang on. Its tables stay its own.
export * from './domain';
export * from './application/session-directory';
export { sessionNotFound } from './application/session-errors';
export { REALTIME_CHANNEL, socketPlacementOf, type RealtimeChannel, type SocketPlacement } from './application/realtime-channel';
export { PlacementListeners, type PlacementListener } from './application/placement-listeners';
export { RoomNotifier } from './application/room-notifier';
export { toParticipantView, toRoomView } from './application/views';
export { SessionsModule } from './infrastructure/sessions.module';
export { SocketRouter, type ParleySocket } from './infrastructure/realtime/socket-router';
export { answerOn } from './infrastructure/realtime/answer';
// The schema is one: the API registers every context's entities.
export { SESSIONS_ENTITIES } from './infrastructure/persistence';
