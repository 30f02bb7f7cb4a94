export * from './domain/audit-chain';
export * from './domain/audit-seal';
export * from './infrastructure/audit-trail';
export * from './infrastructure/audit-entry.entity';
export * from './infrastructure/audit.module';
