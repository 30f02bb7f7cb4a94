import { Listeners } from './listeners';

describe('Listeners: what an SFU adapter tells', () => {
  it('calls every listener in turn; one that throws is logged and the next still hears', () => {
    const warned: string[] = [];
    const heard: string[] = [];
    const sut = new Listeners<number>('link', () => ({ warn: (m) => warned.push(m) }));
    sut.add((n) => heard.push(`a${n}`));
    sut.add(() => {
      throw new Error('broken');
    });
    sut.add((n) => heard.push(`c${n}`));
    sut.emit(1);
    sut.emit(2);
    expect(heard).toEqual(['a1', 'c1', 'a2', 'c2']);
    expect(warned).toEqual(['a link listener failed: broken', 'a link listener failed: broken']);
  });

  it('without a logger, a failing listener is still contained', () => {
    const sut = new Listeners<number>('link', () => undefined);
    sut.add(() => {
      throw new Error('broken');
    });
    expect(() => sut.emit(1)).not.toThrow();
  });
});
