// Which language the mini-program speaks, and its texts: t(key, params) for code, labels(group) for WXML.
// Chinese first: zh-CN unless WeChat's own language (wx.getAppBaseInfo().language) is not Chinese.
import { EN } from './messages/en';
import { ZH_CN, type MessageKey } from './messages/zh-cn';

export type Locale = 'zh-CN' | 'en';
export type { MessageKey };

export const TABLES: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = { 'zh-CN': ZH_CN, en: EN };

/** WeChat's language ("zh_CN", "zh_HK", "zh-TW", "en", "en_US"…) → ours; anything missing → zh-CN. */
export function pickLocale(language: unknown): Locale {
  if (typeof language !== 'string' || language.trim() === '') return 'zh-CN';
  return /^zh/i.test(language.trim()) ? 'zh-CN' : 'en';
}

let cached: Locale | null = null;

/** WeChat restarts the mini-program when its language changes, so one look-up per run is enough. */
export function locale(): Locale {
  if (cached === null) cached = pickLocale(readLanguage());
  return cached;
}

/** Forget the cached language, or fix it (tests switch languages between page renders). */
export function resetLocale(fixed: Locale | null = null): void {
  cached = fixed;
}

function readLanguage(): unknown {
  try {
    const w = (globalThis as { wx?: { getAppBaseInfo?: () => { language?: unknown } } }).wx;
    return w && typeof w.getAppBaseInfo === 'function' ? w.getAppBaseInfo().language : undefined;
  } catch {
    return undefined; // an old base library without getAppBaseInfo: Chinese
  }
}

export type Params = Readonly<Record<string, string | number>>;

/** The text of `key` in the current language, `{name}` replaced from params (unknown names stay visible). */
export function t(key: MessageKey, params: Params = {}, lang: Locale = locale()): string {
  const text = TABLES[lang][key] ?? ZH_CN[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole);
}

/** The `group.*` texts without the prefix, for a page's data (`m.start` in WXML for `host.start`). */
export function labels(group: string, lang: Locale = locale()): Record<string, string> {
  const out: Record<string, string> = {};
  const prefix = `${group}.`;
  const table = TABLES[lang];
  for (const key of Object.keys(table) as MessageKey[]) {
    if (key.startsWith(prefix)) out[key.slice(prefix.length)] = table[key];
  }
  return out;
}
