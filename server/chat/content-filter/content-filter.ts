// ContentFilter: the check every chat message and nickname passes before it is stored or shown (issue 13,
// "Content safety"). Implementations: a word list (default), WeChat's msgSecCheck v2, or off.

/** What is being checked: WeChat's msgSecCheck scenes are 1 (profile: nicknames) and 2 (comment: messages). */
export type FilterScene = 'message' | 'nickname';

export interface FilterInput {
  text: string;
  scene: FilterScene;
  /** the author's WeChat openid (msgSecCheck v2 requires one); absent for dev and guest users */
  openid?: string;
}

/** Why a text was refused. */
export type RefusalReason =
  /** the word list matched */
  | 'word'
  /** WeChat: suggest "risky" */
  | 'risky'
  /** WeChat: suggest "review" (no human review queue here, so it is refused too) */
  | 'review'
  /** WeChat had no openid to check against */
  | 'no_openid'
  /** the checker could not be reached or answered an error: refused, never passed unchecked */
  | 'unavailable';

export type FilterVerdict =
  | { allowed: true }
  | { allowed: false; reason: RefusalReason; /** WeChat's label (20001 political, 20002 porn, …) or the matched word */ detail?: string };

export interface ContentFilter {
  check(input: FilterInput): Promise<FilterVerdict>;
  close(): Promise<void>;
}

export const ALLOWED: FilterVerdict = Object.freeze({ allowed: true });

/** CHAT_FILTER=off: everything passes. */
export class OffFilter implements ContentFilter {
  async check(): Promise<FilterVerdict> {
    return ALLOWED;
  }

  async close(): Promise<void> {}
}
