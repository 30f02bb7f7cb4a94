import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client, Pool } from 'pg';
import { DatabaseConnectivity } from './database-connectivity';

/** A stand-in for pg's Client whose connection attempts the test finishes by hand, in either of pg's forms. */
class ManualClient {
  static pending: Array<(err: Error | null) => void> = [];
  connect(): Promise<unknown>;
  connect(callback: (err: Error | null) => void): void;
  connect(callback?: (err: Error | null) => void): Promise<unknown> | void {
    if (callback) {
      ManualClient.pending.push(callback);
      return;
    }
    return new Promise((resolve, reject) => ManualClient.pending.push((err) => (err ? reject(err) : resolve(this))));
  }
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), { code: 'ECONNREFUSED' });

describe('DatabaseConnectivity', () => {
  const build = () => {
    const sut = new DatabaseConnectivity();
    const seen: string[] = [];
    sut.watch({ unreachable: (cause) => seen.push(`down ${cause}`), reachable: () => seen.push('up') });
    ManualClient.pending = [];
    return { sut, seen, Watched: sut.clientClass(ManualClient) };
  };

  it('reports a failed connection with its cause and a made one as reachable, in the callback form the pool uses', () => {
    const { seen, Watched } = build();
    const outcomes: Array<Error | null> = [];
    new Watched().connect((err) => outcomes.push(err));
    new Watched().connect((err) => outcomes.push(err));
    ManualClient.pending[0](refused());
    ManualClient.pending[1](null);
    expect(seen).toEqual(['down connect ECONNREFUSED 127.0.0.1:5999']);
    new Watched().connect((err) => outcomes.push(err));
    ManualClient.pending[2](null);
    expect(seen).toEqual(['down connect ECONNREFUSED 127.0.0.1:5999', 'up']);
    // The caller still gets exactly what the driver said.
    expect(outcomes.map((e) => e?.message ?? null)).toEqual(['connect ECONNREFUSED 127.0.0.1:5999', null, null]);
  });

  it('a connection begun before a failure and made after it does not end the outage', () => {
    const { seen, Watched } = build();
    new Watched().connect(() => undefined); // begun while the database still answered
    new Watched().connect(() => undefined);
    ManualClient.pending[1](refused()); // then the database went away
    ManualClient.pending[0](null); // the first one's success is stale
    expect(seen).toEqual(['down connect ECONNREFUSED 127.0.0.1:5999']);
  });

  it('works in the promise form too, passing the result and the rejection through', async () => {
    const { seen, Watched } = build();
    const failing = new Watched().connect().catch((e: Error) => e.message);
    ManualClient.pending[0](refused());
    await expect(failing).resolves.toBe('connect ECONNREFUSED 127.0.0.1:5999');
    const client = new Watched();
    const made = client.connect();
    ManualClient.pending[1](null);
    await expect(made).resolves.toBe(client);
    expect(seen).toEqual(['down connect ECONNREFUSED 127.0.0.1:5999', 'up']);
  });

  it('ignores errors that are not about reachability (a wrong password is a configuration mistake)', () => {
    const { sut, seen } = build();
    sut.failed(Object.assign(new Error('password authentication failed for user "x"'), { code: '28P01' }));
    sut.failed(new TypeError('x is undefined'));
    expect(seen).toEqual([]);
  });

  it('with the real driver: a pool of watched clients reports a refused connection, and the query still fails as before', async () => {
    const sut = new DatabaseConnectivity();
    const causes: string[] = [];
    sut.watch({ unreachable: (c) => causes.push(c), reachable: () => causes.push('up') });
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise((r) => probe.close(r));
    const pool = new Pool({ host: '127.0.0.1', port, user: 'x', database: 'x', Client: sut.clientClass(Client) });
    const error = await pool.query('SELECT 1').then(
      () => null,
      (e: NodeJS.ErrnoException) => e,
    );
    await pool.end();
    expect(error?.code).toBe('ECONNREFUSED');
    expect(causes).toEqual([expect.stringMatching(/ECONNREFUSED/)]);
  });
});
