// The mini-program's message table: every key in both languages, the same {placeholders} in each, Chinese
// texts that are Chinese, and the language picked from wx.getAppBaseInfo().language (zh* → zh-CN, else en).
import { labels, locale, pickLocale, resetLocale, t, TABLES, type Locale } from '../../../miniprogram/lib/i18n';
import { MODERATION_ERROR_KEYS, NOTICE_KEYS } from '../../../miniprogram/lib/chat-text';
import { PLAYER_STATES } from '../../../miniprogram/lib/player-states';
import { PUSHER_STATES } from '../../../miniprogram/lib/pusher-states';

const g = globalThis as { wx?: unknown };
afterEach(() => {
  delete g.wx;
  resetLocale();
});

const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
const LOCALES = Object.keys(TABLES) as Locale[];

test('both languages have exactly the same keys, none empty', () => {
  expect(LOCALES.sort()).toEqual(['en', 'zh-CN']);
  const zh = Object.keys(TABLES['zh-CN']).sort();
  const en = Object.keys(TABLES.en).sort();
  // a key only in one language is named in the failure
  expect(zh.filter((k) => !en.includes(k))).toEqual([]);
  expect(en.filter((k) => !zh.includes(k))).toEqual([]);
  for (const lang of LOCALES) {
    for (const [key, text] of Object.entries(TABLES[lang])) expect([lang, key, text.trim() === '']).toEqual([lang, key, false]);
  }
});

test('each text has the same placeholders in both languages', () => {
  for (const key of Object.keys(TABLES['zh-CN']) as (keyof typeof TABLES['zh-CN'])[]) {
    expect([key, placeholders(TABLES.en[key])]).toEqual([key, placeholders(TABLES['zh-CN'][key])]);
  }
});

test('the Chinese texts are Chinese (every one but format-only rows holds a CJK character)', () => {
  const cjk = /[\u4e00-\u9fff]/;
  const notChinese = Object.entries(TABLES['zh-CN']).filter(([, text]) => !cjk.test(text)).map(([k]) => k);
  expect(notChinese).toEqual([]);
});

test('every state-table row names a message that exists', () => {
  for (const row of [...Object.values(PUSHER_STATES), ...Object.values(PLAYER_STATES)]) {
    expect(Object.prototype.hasOwnProperty.call(TABLES['zh-CN'], row.key)).toBe(true);
  }
});

test('WeChat\'s language picks ours: zh* is Chinese, anything else English, nothing at all Chinese', () => {
  expect(['zh_CN', 'zh_HK', 'zh_TW', 'zh-CN', 'zh', 'ZH_cn'].map(pickLocale)).toEqual(Array(6).fill('zh-CN'));
  expect(['en', 'en_US', 'fr', 'ja'].map(pickLocale)).toEqual(Array(4).fill('en'));
  expect([undefined, null, '', '  ', 42].map(pickLocale)).toEqual(Array(5).fill('zh-CN'));
});

test('locale() reads wx.getAppBaseInfo() once; no wx or a throwing one means Chinese', () => {
  let reads = 0;
  g.wx = { getAppBaseInfo: () => { reads += 1; return { language: 'en' }; } };
  expect(locale()).toBe('en');
  expect(locale()).toBe('en');
  expect(reads).toBe(1);
  resetLocale();
  g.wx = { getAppBaseInfo: () => { throw new Error('not supported'); } };
  expect(locale()).toBe('zh-CN');
  resetLocale();
  delete g.wx;
  expect(locale()).toBe('zh-CN');
});

test('t() fills placeholders and leaves unknown ones visible; labels() hands a page its group without the prefix', () => {
  expect(t('host.retrying', { s: 2, n: 1, max: 4 })).toBe('连接已断开，2 秒后重试（1/4）…');
  expect(t('host.retrying', { s: 2, n: 1, max: 4 }, 'en')).toBe('Connection lost; retrying in 2 s (1/4)…');
  expect(t('host.retrying', { s: 2 }, 'en')).toBe('Connection lost; retrying in 2 s ({n}/{max})…');
  const host = labels('host', 'en');
  expect(host.start).toBe('Start');
  expect(labels('host').start).toBe('开始');
  expect(Object.keys(host).every((k) => !k.includes('.'))).toBe(true);
  expect(Object.keys(labels('rooms')).sort()).toEqual(Object.keys(TABLES.en).filter((k) => k.startsWith('rooms.')).map((k) => k.slice(6)).sort());
});

test('every socket notice code and moderation error code names a message that exists', () => {
  for (const key of [...Object.values(NOTICE_KEYS), ...Object.values(MODERATION_ERROR_KEYS)]) {
    expect([key, Object.prototype.hasOwnProperty.call(TABLES['zh-CN'], key)]).toEqual([key, true]);
  }
});
