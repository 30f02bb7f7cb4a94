import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

/** Argon2id with the library's defaults (m=19 MiB, t=2, p=1 — OWASP's baseline). */
@Injectable()
export class PasswordHasher {
  hash(password: string): Promise<string> {
    return hash(password);
  }

  /** A hash of a random secret nobody knows, made once: what an address without an account is checked against. */
  private decoy?: Promise<string>;

  /**
   * The same argon2 work as checking a real account's password, for an address that has none, so
   * that the answer's timing does not tell who has an account. Always false.
   */
  async verifyAgainstNoAccount(password: string): Promise<false> {
    this.decoy ??= hash(randomBytes(32).toString('base64'));
    await this.verify(await this.decoy, password);
    return false;
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }
}
