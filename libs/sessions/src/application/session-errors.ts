import { DomainError } from '@parley/platform';

/** A session the caller is not part of does not exist for them: the same error as an unknown id. */
export const sessionNotFound = () => new DomainError('SESSION_NOT_FOUND', 'No such session, or you are not part of it.', 'sessionId');
