import { Spine1764330000000 } from './1764330000000-spine';
import { Shuttle1764340000000 } from './1764340000000-shuttle';
import { Agreement1764350000000 } from './1764350000000-agreement';
import { Media1764360000000 } from './1764360000000-media';
import { Breaks1764370000000 } from './1764370000000-breaks';
import { SignIns1764380000000 } from './1764380000000-sign-ins';
import { EmailVerification1764390000000 } from './1764390000000-email-verification';
import { InvitationNames1764400000000 } from './1764400000000-invitation-names';
import { Floor1764410000000 } from './1764410000000-floor';
import { ChatGroupCommit1764420000000 } from './1764420000000-chat-group-commit';
import { Interpreters1764430000000 } from './1764430000000-interpreters';
import { Consultation1764440000000 } from './1764440000000-consultation';
import { ChatDecisionCheck1764450000000 } from './1764450000000-chat-decision-check';

/** In order. A new migration starts from `npm run db:diff`. */
export const MIGRATIONS = [
  Spine1764330000000,
  Shuttle1764340000000,
  Agreement1764350000000,
  Media1764360000000,
  Breaks1764370000000,
  SignIns1764380000000,
  EmailVerification1764390000000,
  InvitationNames1764400000000,
  Floor1764410000000,
  ChatGroupCommit1764420000000,
  Interpreters1764430000000,
  Consultation1764440000000,
  ChatDecisionCheck1764450000000,
];
