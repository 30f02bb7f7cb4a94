import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { MediationSessionEntity } from './mediation-session.entity';

@Entity('parties')
@Index('parties_session_name', ['sessionId', 'nameKey'], { unique: true })
export class PartyEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'session_id' })
  sessionId: string;


  @ManyToOne(() => MediationSessionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session?: MediationSessionEntity;

  @Column('varchar', { length: 120 })
  name: string;

  /** Lower-cased name: two parties of one session never share a name, whatever the case. */
  @Column('varchar', { name: 'name_key', length: 120 })
  nameKey: string;

  @Column('integer')
  position: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
