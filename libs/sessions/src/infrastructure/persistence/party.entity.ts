import { Column, CreateDateColumn, Entity, Index } from 'typeorm';
import { SessionOwned } from './session-owned';

@Entity('parties')
@Index('parties_session_name', ['sessionId', 'nameKey'], { unique: true })
export class PartyEntity extends SessionOwned {
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
