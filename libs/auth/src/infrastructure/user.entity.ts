import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('users')
export class UserEntity {
  @PrimaryColumn('uuid')
  id: string;

  /** Stored normalised (lower case); unique. */
  @Column('varchar', { length: 254, unique: true })
  email: string;

  @Column('varchar', { name: 'password_hash', length: 255 })
  passwordHash: string;

  @Column('varchar', { name: 'display_name', length: 120 })
  displayName: string;

  /**
   * When the holder proved the address by following a mailed link; null = never proven (every
   * account made before mail was configured, or before this column existed).
   */
  @Column('timestamptz', { name: 'email_verified_at', nullable: true })
  emailVerifiedAt: Date | null;

  /**
   * When the account was deleted: the row stays as a tombstone (seats, authored text and the audit
   * refer to it), with the address freed and the password unusable. Null = an account in use.
   */
  @Column('timestamptz', { name: 'deleted_at', nullable: true })
  deletedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
