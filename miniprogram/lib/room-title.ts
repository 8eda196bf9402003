// Room title rules, the same as the server's (1–64 characters after trimming), checked before sending.
import { t } from './i18n';

export const TITLE_MAX = 64;

/** The trimmed title, or an error sentence. */
export function checkTitle(raw: string): { ok: true; title: string } | { ok: false; error: string } {
  const title = (raw ?? '').trim();
  if (!title) return { ok: false, error: t('host.titleEmpty') };
  if (title.length > TITLE_MAX) return { ok: false, error: t('host.titleTooLong', { max: TITLE_MAX }) };
  return { ok: true, title };
}
