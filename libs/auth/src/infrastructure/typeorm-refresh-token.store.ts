import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { managerOf, type Tx } from '@parley/platform';
import { RefreshTokenStore, type RefreshToken } from '../application/refresh-token.store';
import { RefreshTokenEntity } from './refresh-token.entity';

@Injectable()
export class TypeOrmRefreshTokenStore extends RefreshTokenStore {
  async insert(tx: Tx, token: RefreshToken): Promise<void> {
    await managerOf(tx).getRepository(RefreshTokenEntity).insert(token);
  }

  async lockByHash(tx: Tx, tokenHash: string): Promise<RefreshToken | null> {
    const row = await managerOf(tx)
      .getRepository(RefreshTokenEntity)
      .findOne({ where: { tokenHash }, lock: { mode: 'pessimistic_write' } });
    return row
      ? {
          id: row.id,
          userId: row.userId,
          familyId: row.familyId,
          tokenHash: row.tokenHash,
          expiresAt: row.expiresAt,
          rotatedAt: row.rotatedAt,
          revokedAt: row.revokedAt,
        }
      : null;
  }

  async markRotated(tx: Tx, id: string, at: Date): Promise<void> {
    await managerOf(tx).getRepository(RefreshTokenEntity).update({ id }, { rotatedAt: at });
  }

  async revokeFamily(tx: Tx, familyId: string, at: Date): Promise<void> {
    await managerOf(tx).getRepository(RefreshTokenEntity).update({ familyId, revokedAt: IsNull() }, { revokedAt: at });
  }
}
