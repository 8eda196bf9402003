// The nickname rule of `PUT /api/me` (1–20 characters after trim), checked before the request.
import { t } from './i18n';

/** `PUT /api/me`'s limit (typings/chat NICKNAME_MAX_CHARS) */
export const NICKNAME_MAX_CHARS = 20;

export function checkNickname(raw: string): { ok: true; nickname: string } | { ok: false; error: string } {
  const nickname = (raw ?? '').trim();
  // characters, not UTF-16 units: an emoji counts once
  const n = Array.from(nickname).length;
  if (n === 0) return { ok: false, error: t('profile.nicknameEmpty') };
  if (n > NICKNAME_MAX_CHARS) return { ok: false, error: t('profile.nicknameTooLong', { max: NICKNAME_MAX_CHARS }) };
  return { ok: true, nickname };
}
