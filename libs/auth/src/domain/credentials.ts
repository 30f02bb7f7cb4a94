import { createHash, randomBytes } from 'node:crypto';

/** E-mail addresses compare case-insensitively and without surrounding blanks. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** An opaque, URL-safe secret (refresh tokens, invitation tokens): 256 bits. */
export const newOpaqueToken = (): string => randomBytes(32).toString('base64url');

/** Only this digest is stored: a leaked table gives no usable token. */
export const digestToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** The shortest password accepted for a new account (NIST SP 800-63B asks for at least 8). */
export const PASSWORD_MIN_LENGTH = 10;

/**
 * The most common passwords of at least PASSWORD_MIN_LENGTH characters in the public breach
 * corpora (the top of the SecLists and Have I Been Pwned frequency lists), compared without case.
 * Short on purpose: NIST SP 800-63B asks for a check against known-bad passwords, not for
 * composition rules, and no maintained list installs offline with the project; the length rule does
 * the rest. Extend it rather than adding rules about digits or symbols.
 */
const COMMON_PASSWORDS = new Set([
  '0123456789',
  '1234567890',
  '0987654321',
  '12345678910',
  '123456789a',
  '1234567890a',
  '1q2w3e4r5t',
  '1qaz2wsx3edc',
  'a123456789',
  'abcdefghij',
  'abcd123456',
  'iloveyou12',
  'password01',
  'password1!',
  'password12',
  'password123',
  'password1234',
  'password!!',
  'passw0rd12',
  'p@ssw0rd12',
  'qwerty1234',
  'qwerty12345',
  'qwerty123456',
  'qwertyuiop',
  'qwertyuiop1',
  'asdfghjkl1',
  'zxcvbnm123',
  '1q2w3e4r5t6y',
  'q1w2e3r4t5',
  'letmein123',
  'welcome123',
  'welcome1234',
  'changeme123',
  'football123',
  'baseball123',
  'monkey1234',
  'dragon1234',
  'sunshine123',
  'princess123',
  'superman123',
  'administrator',
  'admin12345',
  'admin123456',
  'passwordpassword',
  'motdepasse',
  'motdepasse1',
  'motdepasse123',
]);

/**
 * Why a new account may not have this password; undefined when it may. Checked when an account is
 * created (registration, or accepting an invitation with new credentials), never when signing in.
 */
export function passwordProblem(password: string): string | undefined {
  if ([...password].length < PASSWORD_MIN_LENGTH) return `password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (!password.trim()) return 'password must not be only spaces';
  if (new Set(password.toLowerCase()).size === 1) return 'password must not repeat a single character';
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return 'password is one of the most common passwords; choose another';
  return undefined;
}
