export * from './domain/domain-error';
export * from './domain/error-status';
export * from './config/app-config';
export * from './infrastructure/database';
export * from './infrastructure/validation';
export * from './infrastructure/error-mapping';
export * from './infrastructure/uuid-param.pipe';
export * from './infrastructure/prepared';
