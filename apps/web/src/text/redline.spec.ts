import { format } from '../i18n/format';
import { draftAr, draftEn, draftFr } from './draft.messages';
import { around, cutAtSlots, slot } from './redline';

describe('redline sentences cut at their slots', () => {
  it.each([
    ['en', draftEn, '[deleted: ', ']', '[inserted: ', ']'],
    ['fr', draftFr, '[supprimé : ', ']', '[inséré : ', ']'],
    ['ar', draftAr, '[محذوف: ', ']', '[مُدرج: ', ']'],
  ] as const)('%s: the hidden markers around a deletion and an insertion', (_, cat, delBefore, delAfter, insBefore, insAfter) => {
    expect(around(format(cat['redline.deleted'], { text: slot(0) }))).toEqual([delBefore, delAfter]);
    expect(around(format(cat['redline.inserted'], { text: slot(0) }))).toEqual([insBefore, insAfter]);
  });

  it('a sentence without its slot is all before', () => {
    expect(around('deleted')).toEqual(['deleted', '']);
  });

  it('the legend keeps each language’s order of words and slots', () => {
    const fill = (s: string) => format(s, { struck: slot(0), underlined: slot(1) });
    expect(cutAtSlots(fill(draftEn['redline.legend']))).toEqual([0, ': deleted · ', 1, ': inserted']);
    expect(cutAtSlots(fill(draftFr['redline.legend']))).toEqual([0, ' : supprimé · ', 1, ' : inséré']);
    expect(cutAtSlots(fill('{underlined} then {struck}'))).toEqual([1, ' then ', 0]);
  });

  it('words next to each other and at the ends stay whole; no empty words', () => {
    expect(cutAtSlots(`${slot(0)}${slot(1)}`)).toEqual([0, 1]);
    expect(cutAtSlots('no slot here')).toEqual(['no slot here']);
    expect(cutAtSlots('')).toEqual([]);
  });
});
