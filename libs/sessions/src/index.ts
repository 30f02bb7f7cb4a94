export * from './domain';
export * from './application/room-notifier';
export * from './infrastructure/sessions.module';
export * from './infrastructure/persistence';
export * from './infrastructure/realtime/socket-io.channel';
