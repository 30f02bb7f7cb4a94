import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { UnitOfWork, type Tx } from '../application/unit-of-work';

/** The TypeORM side of a `Tx`: what a store's implementation runs its statements on. */
export const managerOf = (tx: Tx): EntityManager => tx as unknown as EntityManager;
const asTx = (manager: EntityManager): Tx => manager as unknown as Tx;

@Injectable()
export class TypeOrmUnitOfWork extends UnitOfWork {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(asTx(manager)));
  }

  snapshot<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    // Both modes in one statement: TypeORM's isolation argument sends one SET of its own, and on
    // the embedded database each statement is a crossing to its thread.
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      return work(asTx(manager));
    });
  }

  get autocommit(): Tx {
    return asTx(this.dataSource.manager);
  }
}
