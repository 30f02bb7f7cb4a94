import { createHash, randomBytes } from 'node:crypto';

/** E-mail addresses compare case-insensitively and without surrounding blanks. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** An opaque, URL-safe secret (refresh tokens, invitation tokens): 256 bits. */
export const newOpaqueToken = (): string => randomBytes(32).toString('base64url');

/** Only this digest is stored: a leaked table gives no usable token. */
export const digestToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
