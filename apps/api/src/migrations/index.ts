import { Spine1764330000000 } from './1764330000000-spine';

/** In order. A new migration starts from `npm run db:diff`. */
export const MIGRATIONS = [Spine1764330000000];
