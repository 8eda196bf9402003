// The pages' language: zh-CN unless the browser asks for another language (then en), texts from messages.ts,
// numbers and times formatted for that locale.
import { DEFAULT_LOCALE, MESSAGES, type Locale, type MessageKey } from './messages';

export type { Locale, MessageKey } from './messages';

/** zh, zh-CN, zh-TW, zh-Hans… → zh-CN; any other language → en; none at all → zh-CN. */
export function pickLocale(language: string | null | undefined): Locale {
  if (!language) return DEFAULT_LOCALE;
  return /^zh\b/i.test(language) ? 'zh-CN' : 'en';
}

let current: Locale = DEFAULT_LOCALE;

export function setLocale(locale: Locale): void {
  current = locale;
}

export function locale(): Locale {
  return current;
}

/** The text of `key` in the current locale, `{name}` replaced by `params.name`. */
export function t(key: MessageKey, params: Record<string, string | number> = {}, lang: Locale = current): string {
  const text = MESSAGES[lang][key] ?? MESSAGES[DEFAULT_LOCALE][key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * Picks the language from navigator.language, sets <html lang>, and fills every element marked
 * data-i18n="key" (text) or data-i18n-<attribute>="key" (that attribute) from the table.
 */
export function localizePage(doc: Document = document): Locale {
  setLocale(pickLocale(navigator.language));
  doc.documentElement.lang = current;
  for (const node of doc.querySelectorAll<HTMLElement>('*')) {
    for (const { name, value } of [...node.attributes]) {
      if (name === 'data-i18n') node.textContent = t(value as MessageKey);
      else if (name.startsWith('data-i18n-')) node.setAttribute(name.slice('data-i18n-'.length), t(value as MessageKey));
    }
  }
  return current;
}
