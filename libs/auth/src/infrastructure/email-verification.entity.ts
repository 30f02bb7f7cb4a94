import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from './user.entity';

/**
 * A mailed link that proves an address, single use and expiring; only the token's digest is kept.
 * For an account (userId set) following it marks the account's address verified. Without an
 * account (a claim, userId null) it carries the registration asked for — the password hash and the
 * name — and following it creates that account, taking the address from an unverified holder.
 */
@Entity('email_verifications')
export class EmailVerificationEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Index('email_verifications_email')
  @Column('varchar', { length: 254 })
  email: string;

  @Column('uuid', { name: 'user_id', nullable: true })
  userId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column('char', { name: 'token_hash', length: 64, unique: true })
  tokenHash: string;

  /** A claim's chosen password (argon2) and display name; null for an account's own link. */
  @Column('varchar', { name: 'password_hash', length: 255, nullable: true })
  passwordHash: string | null;

  @Column('varchar', { name: 'display_name', length: 120, nullable: true })
  displayName: string | null;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @Column('timestamptz', { name: 'used_at', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
