import { Column, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { MediationSessionEntity } from './mediation-session.entity';

/** What every row that belongs to one mediation session has: its id, and its session (cascade). */
export abstract class SessionOwned {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'session_id' })
  sessionId: string;

  @ManyToOne(() => MediationSessionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session?: MediationSessionEntity;
}
