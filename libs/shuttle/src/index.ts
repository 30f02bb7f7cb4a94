export * from './domain';
export * from './infrastructure/shuttle.module';
export * from './infrastructure/persistence';
