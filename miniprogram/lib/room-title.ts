// Room title rules, the same as the server's (1–64 characters after trimming), checked before sending.

export const TITLE_MAX = 64;

/** The trimmed title, or an error sentence. */
export function checkTitle(raw: string): { ok: true; title: string } | { ok: false; error: string } {
  const title = (raw ?? '').trim();
  if (!title) return { ok: false, error: 'Give your broadcast a title.' };
  if (title.length > TITLE_MAX) return { ok: false, error: `Keep the title to ${TITLE_MAX} characters or fewer.` };
  return { ok: true, title };
}
