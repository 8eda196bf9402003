// Chat texts by code: a socket notice, a refused moderation call, the socket's own state. Every code names a
// row of lib/messages (the messages test checks it), so nothing the user reads comes from here in English only.
import type { NoticeCode } from '../../typings/chat';
import { t, type MessageKey } from './i18n';

export const NOTICE_KEYS: Readonly<Record<NoticeCode, MessageKey>> = {
  muted: 'chat.notice.muted',
  rate_limited: 'chat.notice.rateLimited',
  content_rejected: 'chat.notice.contentRejected',
  slow_mode: 'chat.notice.slowMode',
  banned: 'chat.notice.banned',
  bad_frame: 'chat.notice.badFrame',
  auth_required: 'chat.notice.authRequired',
  auth_failed: 'chat.notice.authFailed',
  invalid_frame: 'chat.notice.invalidFrame',
  chat_closed: 'chat.notice.chatClosed',
  unavailable: 'chat.notice.unavailable',
  cohost_requested: 'chat.notice.cohostRequested',
  cohost_full: 'chat.notice.cohostFull',
  cohost_not_live: 'chat.notice.cohostNotLive',
  cohost_not_found: 'chat.notice.cohostNotFound',
};

/** Notices that refuse a `say`: the oldest pending line goes (the server answers says in order). */
export const REFUSALS: ReadonlySet<NoticeCode> = new Set<NoticeCode>([
  'muted', 'rate_limited', 'content_rejected', 'slow_mode', 'banned', 'auth_required', 'invalid_frame', 'chat_closed', 'unavailable',
]);

/** An unknown code (a newer server) still says something. */
export function noticeText(code: string): string {
  const key = (NOTICE_KEYS as Record<string, MessageKey | undefined>)[code];
  return key ? t(key) : t('chat.notice.other', { code });
}

/** Errors of the moderation calls the host may meet, by the API's code; others show the server's message. */
export const MODERATION_ERROR_KEYS: Readonly<Record<string, MessageKey>> = {
  forbidden: 'chat.error.forbidden',
  not_room_host: 'chat.error.forbidden',
  message_not_found: 'chat.error.messageNotFound',
  user_not_found: 'chat.error.userNotFound',
  room_not_found: 'chat.error.roomNotFound',
};
