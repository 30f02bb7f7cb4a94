import { AGREEMENT_ENTITIES } from '@parley/agreement';
import { MEDIA_ENTITIES } from '@parley/media/infrastructure/persistence';
import { CONSULTATION_ENTITIES } from '@parley/consultation';
import { AuditEntryEntity, AuditHeadEntity } from '@parley/audit';
import { EmailVerificationEntity, RefreshTokenEntity, UserEntity } from '@parley/auth';
import { SESSIONS_ENTITIES } from '@parley/sessions';
import { SHUTTLE_ENTITIES } from '@parley/shuttle';

/** Every persisted entity of every bounded context. */
export const ENTITIES = [
  UserEntity,
  RefreshTokenEntity,
  EmailVerificationEntity,
  ...SESSIONS_ENTITIES,
  ...SHUTTLE_ENTITIES,
  ...AGREEMENT_ENTITIES,
  ...MEDIA_ENTITIES,
  ...CONSULTATION_ENTITIES,
  AuditEntryEntity,
  AuditHeadEntity,
];
