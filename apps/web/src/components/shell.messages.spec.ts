import { shellAr, shellEn, shellFr, shellText } from './shell.messages';

describe("the page frame's sentences", () => {
  it.each([
    ['fr', shellFr],
    ['ar', shellAr],
  ] as const)('%s has every key of English, none empty', (_, cat) => {
    expect(Object.keys(cat).sort()).toEqual(Object.keys(shellEn).sort());
    for (const key of Object.keys(shellEn) as Array<keyof typeof shellEn>) expect(cat[key].trim()).not.toBe('');
  });

  it('speaks the reader’s language', () => {
    expect(shellText('en', 'shell.menu')).toBe('Menu');
    expect(shellText('ar', 'shell.menu')).toBe('القائمة');
  });
});
