import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { ParticipantRole } from '@parley/contracts';
import { managerOf, type Tx } from '@parley/platform';
import type { RememberedSeat } from '../../domain';
import { PlacementStore } from '../../application/placement-store';
import { BreakSeatEntity } from './break-seat.entity';
import { ParticipantEntity } from './participant.entity';
import { RoomMemberEntity } from './room.entity';

@Injectable()
export class TypeOrmPlacementStore extends PlacementStore {
  async place(tx: Tx, participantId: string, roomId: string | null): Promise<void> {
    await managerOf(tx).getRepository(ParticipantEntity).update({ id: participantId }, { roomId });
  }

  async sendToLobby(tx: Tx, participantIds: readonly string[]): Promise<void> {
    await managerOf(tx)
      .getRepository(ParticipantEntity)
      .update([...participantIds], { roomId: null });
  }

  async placeAll(tx: Tx, sessionId: string, participantIds: readonly string[], roomId: string): Promise<void> {
    await managerOf(tx)
      .getRepository(ParticipantEntity)
      .update({ id: In([...participantIds]), sessionId }, { roomId });
  }

  async emptyRoom(tx: Tx, roomId: string): Promise<void> {
    await managerOf(tx).getRepository(ParticipantEntity).update({ roomId }, { roomId: null });
  }

  async setRole(
    tx: Tx,
    participantId: string,
    next: { role: ParticipantRole; partyId: string | null; isHead: boolean; roomId: string | null },
  ): Promise<void> {
    await managerOf(tx).getRepository(ParticipantEntity).update({ id: participantId }, next);
  }

  async leaveJointRooms(tx: Tx, participantId: string): Promise<void> {
    await managerOf(tx).getRepository(RoomMemberEntity).delete({ participantId });
  }

  async breakSeats(tx: Tx, sessionId: string): Promise<RememberedSeat[]> {
    const rows = await managerOf(tx).getRepository(BreakSeatEntity).find({ where: { sessionId } });
    return rows.map((s) => ({ participantId: s.participantId, roomId: s.roomId, role: s.role, partyId: s.partyId }));
  }

  async rememberBreakSeats(tx: Tx, sessionId: string, seats: readonly RememberedSeat[]): Promise<void> {
    await managerOf(tx)
      .getRepository(BreakSeatEntity)
      .insert(seats.map((s) => ({ ...s, sessionId })));
  }

  async forgetBreakSeats(tx: Tx, sessionId: string): Promise<void> {
    await managerOf(tx).getRepository(BreakSeatEntity).delete({ sessionId });
  }

  async forgetBreakSeatOf(tx: Tx, participantId: string): Promise<void> {
    await managerOf(tx).getRepository(BreakSeatEntity).delete({ participantId });
  }
}
