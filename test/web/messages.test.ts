// The pages' message table: every key in both languages with the same placeholders, every key the HTML names
// exists, no visible text left in the HTML templates, and the language picked from navigator.language.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pickLocale, t } from '../../web/shared/i18n';
import { DEFAULT_LOCALE, LOCALES, MESSAGES, type MessageKey } from '../../web/shared/messages';

const WEB = join(__dirname, '..', '..', 'web');
const template = (page: string) => readFileSync(join(WEB, page, `${page}.html`), 'utf8');
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('zh-CN and en have the same keys, none empty, with the same placeholders', () => {
  const keys = Object.keys(MESSAGES.en).sort();
  expect(keys.length).toBeGreaterThan(60);
  for (const lang of LOCALES) {
    expect([lang, Object.keys(MESSAGES[lang]).sort()]).toEqual([lang, keys]);
    for (const key of keys as MessageKey[]) {
      expect([lang, key, MESSAGES[lang][key].trim() !== '']).toEqual([lang, key, true]);
      expect([lang, key, placeholders(MESSAGES[lang][key])]).toEqual([lang, key, placeholders(MESSAGES.en[key])]);
    }
  }
});

test('the Chinese texts are Chinese: every zh-CN text with letters in it also has Han characters', () => {
  const technical = new Set<MessageKey>(['admin.col.fps', 'duration.s', 'none']);
  for (const [key, text] of Object.entries(MESSAGES['zh-CN']) as [MessageKey, string][]) {
    if (technical.has(key) || !/[A-Za-z]/.test(text.replace(/\{\w+\}/g, '').replace(/wxlive/g, ''))) continue;
    expect([key, /\p{Script=Han}/u.test(text)]).toEqual([key, true]);
  }
  expect(MESSAGES['zh-CN']['watch.idle']).not.toBe(MESSAGES.en['watch.idle']);
});

test('every data-i18n key the pages name exists, and the templates show no text of their own', () => {
  for (const page of ['watch', 'admin', 'videos', 'home']) {
    const html = template(page);
    const named = [...html.matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(3);
    for (const key of named) expect([page, key, key in MESSAGES.en]).toEqual([page, key, true]);
    expect(html).toMatch(/<html lang="zh-CN">/);
    // what a reader would see before the script fills the page: only the brand name
    const visible = html.replace(/<noscript>[\s\S]*?<\/noscript>/g, '').replace(/<(title|script|style)[^>]*>[\s\S]*?<\/\1>/g, '')
      .replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]+>/g, ' ').split(/\s+/).filter((w) => w && w !== 'wxlive' && w !== '–');
    expect([page, visible]).toEqual([page, []]);
    // attributes a reader hears or sees (aria-label, title, placeholder, alt) come from the table too
    expect([page, html.match(/\s(aria-label|title|placeholder)="[^"]+"/g)]).toEqual([page, null]);
  }
});

test('the language follows navigator.language: zh* is zh-CN, anything else en, nothing zh-CN', () => {
  expect(['zh-CN', 'zh', 'zh-TW', 'zh-Hans-CN', 'ZH-cn'].map(pickLocale)).toEqual(Array(5).fill('zh-CN'));
  expect(['en-US', 'en', 'fr-FR', 'ja', 'zhx'].map(pickLocale)).toEqual(Array(5).fill('en'));
  expect([pickLocale(''), pickLocale(undefined), pickLocale(null)]).toEqual(['zh-CN', 'zh-CN', 'zh-CN']);
  expect(DEFAULT_LOCALE).toBe('zh-CN');
});

test('t() fills placeholders in the asked language and leaves unknown ones visible', () => {
  expect(t('watch.viewers', { count: '1.2万' }, 'zh-CN')).toBe('1.2万 人在看');
  expect(t('watch.viewers', { count: '12K' }, 'en')).toBe('12K watching');
  expect(t('admin.end.confirm', { title: 'A', live: '' }, 'en')).toBe('End room "A"? This cannot be undone.');
  expect(t('admin.page', {}, 'en')).toBe('Page {n}');
  expect(t('watch.idle')).toBe('等待主播开播'); // zh-CN until a page picks another
});
