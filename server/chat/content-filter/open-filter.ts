// Builds the ContentFilter that CHAT_FILTER names (words by default, with CHAT_WORDS_FILE or the shipped list).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { WechatAppOptions } from './access-token';
import { OffFilter, type ContentFilter } from './content-filter';
import { WechatFilter } from './wechat-filter';
import { WordFilter } from './word-filter';

export type FilterMode = 'words' | 'wechat' | 'off';

export interface FilterSettings {
  mode: FilterMode;
  /** CHAT_WORDS_FILE; the shipped default-words.txt without */
  wordsFile?: string;
  /** required for `wechat` (WECHAT_API_BASE, WECHAT_APPID, WECHAT_SECRET) */
  wechat?: WechatAppOptions;
  /** a word list reload or a WeChat check failed */
  onError?: (err: unknown) => void;
}

/** The shipped list: beside this module when run from source, under the package's server/ when run from dist/. */
export function defaultWordsFile(): string {
  const candidates = [
    join(__dirname, 'default-words.txt'),
    join(__dirname, '..', '..', '..', '..', 'server', 'chat', 'content-filter', 'default-words.txt'),
  ];
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}

export async function openContentFilter(s: FilterSettings): Promise<ContentFilter> {
  switch (s.mode) {
    case 'off':
      return new OffFilter();
    case 'wechat':
      if (!s.wechat) throw new Error('CHAT_FILTER=wechat needs WECHAT_APPID and WECHAT_SECRET');
      return new WechatFilter({ ...s.wechat, onError: s.onError });
    case 'words':
      return WordFilter.open(s.wordsFile ?? defaultWordsFile(), { onError: s.onError });
  }
}
