import type { TestApp } from './harness';
import type { Mediation } from './mediation';
import { bearer, type Person } from './people';

type AsyncMethod = (...args: never[]) => Promise<unknown>;

/**
 * A change committed in the middle of a read: `race` runs inside the first call of
 * `target[method]` that `when` picks, before the call goes on (`after`: once the call has read,
 * before it answers), which waits for it at most `waitMs`.
 * Spied on a store a read calls after its permission check, it lands between the permission and
 * the data. On the embedded database (one connection) a change that needs the database waits for
 * the read's transaction instead, and the read goes on after `waitMs`.
 */
export function raceInside<T extends object, K extends keyof T & string>(
  target: T,
  method: K,
  when: (...args: Parameters<Extract<T[K], AsyncMethod>>) => boolean,
  race: () => Promise<unknown>,
  { after = false, waitMs = 2_000 }: { after?: boolean; waitMs?: number } = {},
): { raced: () => Promise<unknown> | null; restore: () => void } {
  const methods = target as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const original = methods[method].bind(target);
  let done: Promise<unknown> | null = null;
  const spy = jest.spyOn(methods, method).mockImplementation(async (...args: unknown[]) => {
    const answer = after ? await original(...args) : undefined;
    if (!done && (when as (...a: unknown[]) => boolean)(...args)) {
      done = race();
      await Promise.race([done, new Promise((r) => setTimeout(r, waitMs))]);
    }
    return after ? answer : original(...args);
  });
  return { raced: () => done, restore: () => spy.mockRestore() };
}

/** `read`, with the race armed in `inside` landing within it: its answer once the race has run, the spy removed after. */
export async function readDuring<T>(inside: ReturnType<typeof raceInside>, read: () => PromiseLike<T>): Promise<T> {
  try {
    const answer = await read();
    await inside.raced();
    return answer;
  } finally {
    inside.restore();
  }
}

/** The mediator changes `who`'s role (through the API). */
export async function reRole(app: TestApp, m: Mediation, who: Person, role: string): Promise<void> {
  await app
    .http()
    .patch(`/api/sessions/${m.session.id}/participants/${who.participantId}/role`)
    .set(bearer(m.mediator))
    .send({ role })
    .expect(200);
}
