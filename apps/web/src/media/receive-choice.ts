/**
 * What the person chose to receive in a session — audio only, a lower video quality — kept across
 * reloads and visits (localStorage), as the listening choice is: a delegate on a metered or thin
 * link who reloads comes back as they left, without a moment of video first. What the page decided
 * by itself (the automatic switches) is not kept: the next visit may be on another link.
 */
export interface ReceiveChoice {
  audioOnly: boolean;
  lowVideo: boolean;
}

export const NO_CHOICE: ReceiveChoice = { audioOnly: false, lowVideo: false };

const receiveChoiceKey = (sessionId: string) => `parley.receive.${sessionId}`;

/** A stored choice as read back: anything but the two booleans reads as no choice. */
export function parseReceiveChoice(raw: string | null): ReceiveChoice {
  if (!raw) return NO_CHOICE;
  try {
    const v = JSON.parse(raw) as Partial<Record<keyof ReceiveChoice, unknown>> | null;
    return { audioOnly: v?.audioOnly === true, lowVideo: v?.lowVideo === true };
  } catch {
    return NO_CHOICE;
  }
}

/** The session's stored choice (none when storage is unavailable). */
export function loadReceiveChoice(sessionId: string): ReceiveChoice {
  try {
    return parseReceiveChoice(localStorage.getItem(receiveChoiceKey(sessionId)));
  } catch {
    return NO_CHOICE;
  }
}

/** Keeps the choice; no choice left is no entry. Storage refused (private mode, full): not kept, nothing else changes. */
export function saveReceiveChoice(sessionId: string, choice: ReceiveChoice): void {
  try {
    if (!choice.audioOnly && !choice.lowVideo) localStorage.removeItem(receiveChoiceKey(sessionId));
    else localStorage.setItem(receiveChoiceKey(sessionId), JSON.stringify(choice));
  } catch {
    // kept for this page only
  }
}
