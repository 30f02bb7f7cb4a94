export * from './domain';
export * from './application/room-notifier';
export * from './application/session-access';
export * from './application/views';
export * from './infrastructure/sessions.module';
export * from './infrastructure/persistence';
export * from './infrastructure/realtime/socket-io.channel';
export * from './infrastructure/realtime/answer';
