export * from './infrastructure/agreement.module';
export * from './infrastructure/persistence';
