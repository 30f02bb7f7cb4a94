export * from './domain/audit-chain';
export * from './infrastructure/audit-trail';
export * from './infrastructure/audit-entry.entity';
export * from './infrastructure/audit.module';
