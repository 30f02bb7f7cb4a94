import { randomUUID } from 'node:crypto';
import { JoinSessionUseCase } from '@parley/sessions/application/join-session.use-case';
import { TestClient } from './support/harness';
import { useMediation, type Mediation } from './support/mediation';

/**
 * A socket's rooms are synced after the commit that placed its participant, and syncs are not
 * ordered: a page reloading (its join reads the seat) while a mediator moves that participant can
 * sync the seat it read after the move's own sync, putting every socket of the participant back
 * into the room they left — where the room's chat, drafts and presence went on reaching them until
 * their next move. Here the move is made, through the API, to land exactly between the join's read
 * and its sync; after the join's answer nothing of the old room may reach either page.
 */
describe('a reload racing a move leaves the sockets where the seat is', () => {
  const ctx = useMediation();
  let m: Mediation;
  beforeAll(() => {
    m = ctx.m();
  });

  it("the join read the caucus, the move to the plenary synced first: the join's sync is followed by the stored seat", async () => {
    const join = ctx.app().app.get(JoinSessionUseCase);
    const read = join.execute.bind(join);
    const interleaved = jest.spyOn(join, 'execute').mockImplementationOnce(async (cmd) => {
      const joined = await read(cmd);
      expect(joined.room?.id).toBe(m.caucusA);
      await m.place(m.a2, m.plenary); // committed and synced before the join syncs what it read
      return joined;
    });
    const reloaded = await TestClient.connect(ctx.app().url, m.a2.token);
    try {
      const answer = await reloaded.join(m.session.id);
      expect(interleaved).toHaveBeenCalledTimes(1);
      expect(answer.room?.id).toBe(m.caucusA); // what the join read: the page learns the move from participant.location

      const inCaucus = `caucus only ${randomUUID()}`;
      const inPlenary = `plenary now ${randomUUID()}`;
      expect((await m.client(m.a1).ask('chat.post', { roomId: m.caucusA, text: inCaucus, clientMessageId: randomUUID() })).ok).toBe(true);
      expect((await m.client(m.mediator).ask('chat.post', { roomId: m.plenary, text: inPlenary, clientMessageId: randomUUID() })).ok).toBe(
        true,
      );
      await reloaded.waitFor('room.event', (e) => JSON.stringify(e).includes(inPlenary));
      await reloaded.sync();
      await m.client(m.a2).sync();
      for (const page of [reloaded, m.client(m.a2)])
        expect(page.events.filter((e) => JSON.stringify(e.payload).includes(inCaucus))).toEqual([]);
    } finally {
      interleaved.mockRestore();
      reloaded.close();
      await m.place(m.a2, m.caucusA);
    }
  });
});
