import type { Wording } from './model';

/** Pure functions must leave their input alone: freezing makes any mutation throw. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value as Record<string, unknown>).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/** "The border runs {{seg-1}}." with option A (supported by party A) and option B (party B), frozen. */
export const disputedWording = (): Wording =>
  deepFreeze({
    text: 'The border runs {{seg-1}}.',
    segments: [
      {
        id: 'seg-1',
        options: [
          { id: 'A', text: 'along the river', supportedBy: ['A'] },
          { id: 'B', text: 'along the ridge', supportedBy: ['B'] },
        ],
      },
    ],
  });
