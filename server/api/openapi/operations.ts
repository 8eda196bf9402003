// Every route the server mounts, documented once. A new route gets an entry here in the same commit:
// test/api/openapi-routes.test.ts walks the mounted routers and fails on a route without one (or an entry without a route).
import { z } from 'zod';
import { statsHistoryQuery } from '../routes/admin';
import { deliveriesQuery } from '../routes/admin-webhooks';
import { banBody, chatSettingsBody, messageIdParam, muteBody, nicknameBody, userIdParam } from '../chat-schemas';
import { messagePageQuery } from '../routes/chat';
import { cohostAcceptBody } from '../routes/cohosts';
import { createRoomBody, listQuery, loginBody, roomIdParam } from '../schemas';
import { replayPatchBody, videoIdParam, videoListQuery, videoPatchBody } from '../vod-schemas';
import { failure, ok, type ApiOperation } from './operation';
import { PAGE_OPERATIONS } from './page-operations';

const ROOM = { id: roomIdParam };
const NO_ROOM = failure('room_not_found');
const BAD_INPUT = failure('invalid_request / invalid_json: the field and what is wrong with it');
const NO_SESSION = failure('unauthorized: no or an expired session token');
const NO_ADMIN = failure('admin_token_required');
const BAD_ADMIN = failure('bad_admin_token');
const LIMITED = failure('rate_limited (Retry-After and error.retryAfterS tell when to try again)');
const NOT_HOST = failure('not_room_host: neither the room\'s host nor the admin');
const USER = { id: userIdParam };
const VIDEO = { id: videoIdParam };
const NO_VIDEO = failure('video_not_found (a private video to anyone but the admin, too)');

const API: ApiOperation[] = [
  {
    method: 'get', path: '/healthz', tag: 'service', access: 'anyone', summary: 'Liveness check',
    responses: { 200: ok('HealthResponse') },
  },
  {
    method: 'post', path: '/api/auth/login', tag: 'auth', access: 'anyone', summary: 'Sign in with a wx.login code',
    description: 'Exchanges the mini-program\'s `wx.login()` code (any non-empty string with AUTH_MODE=dev) for a session token.',
    body: { json: loginBody },
    responses: { 200: ok('LoginResponse'), 400: BAD_INPUT, 401: failure('the code was refused by WeChat'), 429: LIMITED },
  },
  {
    method: 'get', path: '/metrics', tag: 'service', access: 'admin', summary: 'Prometheus metrics',
    description: 'Behind the admin token unless METRICS_PUBLIC=on.',
    responses: { 200: { description: 'Prometheus text exposition', media: 'text/plain' }, 401: NO_ADMIN, 403: BAD_ADMIN },
  },
  {
    method: 'post', path: '/api/rooms', tag: 'rooms', access: 'user', summary: 'Create a room',
    description: 'The host\'s new room and its first push ticket.',
    body: { json: createRoomBody },
    responses: {
      201: ok('CreateRoomResponse', 'Created'), 400: BAD_INPUT, 401: NO_SESSION,
      409: failure('too_many_open_rooms (error.limit)'), 429: LIMITED,
    },
  },
  {
    method: 'get', path: '/api/rooms', tag: 'rooms', access: 'anyone', summary: 'List rooms, newest first',
    query: listQuery, responses: { 200: ok('RoomListResponse'), 400: BAD_INPUT },
  },
  {
    method: 'get', path: '/api/rooms/:id', tag: 'rooms', access: 'anyone', summary: 'One room',
    params: ROOM, responses: { 200: ok('RoomResponse'), 404: NO_ROOM },
  },
  {
    method: 'post', path: '/api/rooms/:id/push', tag: 'rooms', access: 'user', summary: 'A fresh push ticket',
    description: 'For the room\'s host: a new signed push URL (after expiry or a reconnect); older tickets are revoked.',
    params: ROOM,
    responses: { 200: ok('PushResponse'), 401: NO_SESSION, 403: failure('not_room_host'), 404: NO_ROOM, 409: failure('room_ended') },
  },
  {
    method: 'get', path: '/api/rooms/:id/play', tag: 'rooms', access: 'anyone', summary: 'Signed play URLs',
    params: ROOM,
    responses: { 200: ok('PlayResponse'), 404: NO_ROOM, 409: failure('room_ended, with error.replay the recording\'s URL or null') },
  },
  {
    method: 'post', path: '/api/rooms/:id/end', tag: 'rooms', access: 'userOrAdmin', summary: 'End a room',
    description: 'The host or the admin; the publisher is disconnected within 2 s.',
    params: ROOM,
    responses: { 200: ok('RoomResponse'), 401: NO_SESSION, 403: failure('not_room_host'), 404: NO_ROOM },
  },
  {
    method: 'post', path: '/api/rooms/:id/cover', tag: 'rooms', access: 'user', summary: 'Upload the room\'s cover',
    params: ROOM,
    body: { media: ['image/jpeg', 'image/png'], description: 'The image itself, at most 2 MiB (COVER_MAX_BYTES).' },
    responses: {
      200: ok('RoomResponse'), 400: failure('the image cannot be decoded'), 401: NO_SESSION, 403: failure('not_room_host'),
      404: NO_ROOM, 413: failure('payload_too_large'), 415: failure('unsupported_media_type'), 429: LIMITED,
    },
  },
  {
    method: 'get', path: '/api/rooms/:id/cover', tag: 'rooms', access: 'anyone', summary: 'The room\'s uploaded cover',
    params: ROOM,
    responses: {
      200: { description: 'The image (`?v=<version>` URLs are immutable)', media: 'image/*' },
      304: { description: 'Not modified (If-None-Match)' }, 404: failure('room_not_found / cover_not_found'),
    },
  },
  {
    method: 'get', path: '/api/rooms/:id/messages', tag: 'chat', access: 'anyone', summary: 'Chat scroll-back',
    description: 'Older messages, newest first; live ones arrive on the room socket (`GET /api/rooms/{id}/socket`, a WebSocket).',
    params: ROOM, query: messagePageQuery,
    responses: { 200: ok('MessagePageResponse'), 400: BAD_INPUT, 404: NO_ROOM },
  },
  {
    method: 'delete', path: '/api/rooms/:id/messages/:messageId', tag: 'chat', access: 'userOrAdmin', summary: 'Delete a chat message',
    description: 'The room\'s host or the admin; every socket of the room gets `deleted {id}`.',
    params: { ...ROOM, messageId: messageIdParam },
    responses: { 200: ok('DeletedMessageResponse'), 401: NO_SESSION, 403: NOT_HOST, 404: failure('room_not_found / message_not_found') },
  },
  {
    method: 'post', path: '/api/rooms/:id/mutes', tag: 'chat', access: 'userOrAdmin', summary: 'Mute a user in the room',
    description: 'The room\'s host or the admin; the user\'s messages are refused (`notice muted`) until `until`.',
    params: ROOM, body: { json: muteBody },
    responses: { 200: ok('MuteResponse'), 400: BAD_INPUT, 401: NO_SESSION, 403: NOT_HOST, 404: NO_ROOM },
  },
  {
    method: 'post', path: '/api/rooms/:id/bans', tag: 'chat', access: 'userOrAdmin', summary: 'Ban a user from the room',
    description: 'The room\'s host or the admin; the user\'s sockets in the room are closed with 4001 and they cannot send there again.',
    params: ROOM, body: { json: banBody },
    responses: { 200: ok('BanResponse'), 400: BAD_INPUT, 401: NO_SESSION, 403: NOT_HOST, 404: NO_ROOM },
  },
  {
    method: 'put', path: '/api/rooms/:id/chat', tag: 'chat', access: 'userOrAdmin', summary: 'The room\'s chat settings',
    description: 'The room\'s host or the admin; slow mode and closing the chat, broadcast as `settings`.',
    params: ROOM, body: { json: chatSettingsBody },
    responses: { 200: ok('ChatSettingsResponse'), 400: BAD_INPUT, 401: NO_SESSION, 403: NOT_HOST, 404: NO_ROOM },
  },
  {
    method: 'get', path: '/api/rooms/:id/cohosts', tag: 'rooms', access: 'anyone', summary: 'The room\'s co-hosts (连麦)',
    description: 'The line-up for anyone; with the host\'s session token or the admin token also the pending requests (made on the room socket, `cohost_request`).',
    params: ROOM, responses: { 200: ok('CohostsResponse'), 404: NO_ROOM },
  },
  {
    method: 'post', path: '/api/rooms/:id/cohosts', tag: 'rooms', access: 'userOrAdmin', summary: 'Accept a co-host',
    description: 'The room\'s host or the admin takes a pending request onto the lowest free slot (at most COHOST_MAX_GUESTS); every socket of the room gets `cohosts`.',
    params: ROOM, body: { json: cohostAcceptBody },
    responses: {
      200: ok('CohostsResponse'), 400: BAD_INPUT, 401: NO_SESSION, 403: NOT_HOST, 404: failure('room_not_found / cohost_request_not_found'),
      409: failure('cohost_full / cohost_not_live / room_ended'), 429: LIMITED,
    },
  },
  {
    method: 'delete', path: '/api/rooms/:id/cohosts/:userId', tag: 'rooms', access: 'userOrAdmin', summary: 'Decline or remove a co-host',
    description: 'The host or the admin declines a request or removes a guest (its publisher is disconnected); a user may do either to itself.',
    params: { ...ROOM, userId: userIdParam },
    responses: { 200: ok('CohostsResponse'), 401: NO_SESSION, 403: NOT_HOST, 404: failure('room_not_found / cohost_not_found'), 429: LIMITED },
  },
  {
    method: 'post', path: '/api/rooms/:id/cohosts/push', tag: 'rooms', access: 'user', summary: 'A co-host\'s push URL',
    description: 'The accepted guest\'s own push ticket for its slot (`rtmp://host:1935/live/<roomId>~<slot>?expires=&gen=&user=&sign=`); it stops working once the guest is removed.',
    params: ROOM,
    responses: {
      200: ok('CohostPushResponse'), 401: NO_SESSION, 403: failure('not_cohost: not accepted (yet)'), 404: NO_ROOM, 409: failure('room_ended'),
      429: LIMITED, 501: failure('cohost_unsupported: the media provider offers no co-hosting (MEDIA_PROVIDER=tencent)'),
    },
  },
  {
    method: 'get', path: '/api/videos', tag: 'rooms', access: 'anyone', summary: 'Public library videos, newest first',
    query: videoListQuery, responses: { 200: ok('VideoListResponse'), 400: BAD_INPUT },
  },
  {
    method: 'get', path: '/api/videos/:id', tag: 'rooms', access: 'anyone', summary: 'One library video',
    description: 'A private video only with the admin token.', params: VIDEO, responses: { 200: ok('VideoResponse'), 404: NO_VIDEO },
  },
  {
    method: 'get', path: '/api/videos/:id/play', tag: 'rooms', access: 'anyone', summary: 'A library video\'s play URLs',
    description: 'RTMP (`rtmp://host:1935/vod/<name>`), HLS (`/vod/<id>/index.m3u8`) and the file (`/vod/<id>/file`, Range); signed for a private video (admin token only).',
    params: VIDEO, responses: { 200: ok('VideoPlayResponse'), 404: NO_VIDEO },
  },
  {
    method: 'get', path: '/api/rooms/:id/replays', tag: 'rooms', access: 'anyone', summary: 'The room\'s replays, newest first',
    description: 'Its ended broadcasts; with the host\'s session token or the admin token also the hidden ones (signed URLs).',
    params: ROOM, responses: { 200: ok('ReplayListResponse'), 401: NO_SESSION, 404: NO_ROOM },
  },
  {
    method: 'patch', path: '/api/rooms/:id/replays/:broadcastId', tag: 'rooms', access: 'userOrAdmin', summary: 'Show or hide a replay',
    description: 'The room\'s host or the admin; a hidden replay\'s HLS and MP4 are refused to others.',
    params: { ...ROOM, broadcastId: z.string() }, body: { json: replayPatchBody },
    responses: { 200: ok('ReplayResponse'), 400: BAD_INPUT, 401: NO_SESSION, 403: NOT_HOST, 404: failure('room_not_found / replay_not_found') },
  },
  {
    method: 'get', path: '/api/admin/videos', tag: 'admin', access: 'admin', summary: 'Every library video, newest first',
    query: videoListQuery, responses: { 200: ok('VideoListResponse'), 400: BAD_INPUT, 401: NO_ADMIN, 403: BAD_ADMIN },
  },
  {
    method: 'put', path: '/api/admin/videos/:name', tag: 'admin', access: 'admin', summary: 'Upload a library video',
    description: 'The raw file as the body (at most VOD_MAX_MB), streamed to disk, probed, then put in place as DATA_DIR/vod/<name> (replacing one of that name).',
    params: { name: z.string().regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}\.(flv|mp4)$/) },
    body: { media: ['video/mp4', 'video/x-flv', 'application/octet-stream'], description: 'the FLV or MP4 file (H.264 and/or AAC)' },
    responses: {
      201: ok('VideoResponse', 'Created'), 400: failure('invalid_video_name / upload_aborted / upload_timeout / body_missing'), 401: NO_ADMIN, 403: BAD_ADMIN,
      409: failure('upload_in_progress: that name is being uploaded already'), 413: failure('payload_too_large (VOD_MAX_MB)'),
      415: failure('unsupported_codec: names what was found'), 422: failure('invalid_media: truncated or not a video'), 429: LIMITED,
      507: failure('storage_full: below DISK_MIN_FREE_MB'),
    },
  },
  {
    method: 'patch', path: '/api/admin/videos/:id', tag: 'admin', access: 'admin', summary: 'Retitle, publish or hide a video',
    params: VIDEO, body: { json: videoPatchBody },
    responses: { 200: ok('VideoResponse'), 400: BAD_INPUT, 401: NO_ADMIN, 403: BAD_ADMIN, 404: NO_VIDEO },
  },
  {
    method: 'delete', path: '/api/admin/videos/:id', tag: 'admin', access: 'admin', summary: 'Delete a video, its file and its HLS',
    params: VIDEO, responses: { 204: { description: 'Deleted' }, 401: NO_ADMIN, 403: BAD_ADMIN, 404: NO_VIDEO },
  },
  {
    method: 'put', path: '/api/me', tag: 'auth', access: 'user', summary: 'Set your nickname',
    description: '1–20 characters after trim; shown from the next chat sign-in on.',
    body: { json: nicknameBody }, responses: { 200: ok('MeResponse'), 400: BAD_INPUT, 401: NO_SESSION },
  },
  {
    method: 'post', path: '/api/auth/guest', tag: 'auth', access: 'anyone', summary: 'A guest session that may chat',
    description: 'For the H5 watch page: a `guest_…` user that may chat but never host. Limited per address (GUEST_PER_IP_PER_MIN).',
    body: { json: nicknameBody },
    responses: { 200: ok('LoginResponse'), 400: BAD_INPUT, 403: failure('guest_chat_off (GUEST_CHAT=off)'), 429: LIMITED },
  },
  {
    method: 'get', path: '/api/admin/rooms', tag: 'admin', access: 'admin', summary: 'Every room with live stats',
    query: listQuery, responses: { 200: ok('AdminRoomListResponse'), 400: BAD_INPUT, 401: NO_ADMIN, 403: BAD_ADMIN },
  },
  {
    method: 'post', path: '/api/admin/rooms/:id/end', tag: 'admin', access: 'admin', summary: 'End any room',
    params: ROOM, responses: { 200: ok('RoomResponse'), 401: NO_ADMIN, 403: BAD_ADMIN, 404: NO_ROOM },
  },
  {
    method: 'delete', path: '/api/admin/rooms/:id', tag: 'admin', access: 'admin', summary: 'Delete a room and its files',
    params: ROOM,
    responses: { 204: { description: 'Deleted' }, 401: NO_ADMIN, 403: BAD_ADMIN, 404: NO_ROOM, 409: failure('the room is live: end it first') },
  },
  {
    method: 'get', path: '/api/admin/stats', tag: 'admin', access: 'admin', summary: 'Server stats (rtmp_stat equivalent)',
    responses: { 200: ok('AdminStatsResponse'), 401: NO_ADMIN, 403: BAD_ADMIN },
  },
  {
    method: 'get', path: '/api/admin/stats/history', tag: 'admin', access: 'admin', summary: 'The last 30 minutes of stats',
    description: 'Sampled every 2 s; columns aligned with `t` (Unix seconds), as chart libraries draw them. `?roomId=` narrows to one stream.',
    query: statsHistoryQuery, responses: { 200: ok('StatsHistoryResponse'), 400: BAD_INPUT, 401: NO_ADMIN, 403: BAD_ADMIN },
  },
  {
    method: 'get', path: '/api/admin/webhooks/deliveries', tag: 'admin', access: 'admin', summary: 'Recent webhook deliveries',
    description: 'One row per event and WEBHOOK_URL, newest first: state (pending, delivered, failed), attempts, the next attempt, the last status and error. Paged with `limit` and `cursor` as the rooms list.',
    query: deliveriesQuery, responses: { 200: ok('WebhookDeliveriesResponse'), 400: BAD_INPUT, 401: NO_ADMIN, 403: BAD_ADMIN },
  },
  {
    method: 'get', path: '/api/admin/users/banned', tag: 'admin', access: 'admin', summary: 'Users banned everywhere',
    responses: { 200: ok('BannedUsersResponse'), 401: NO_ADMIN, 403: BAD_ADMIN },
  },
  {
    method: 'post', path: '/api/admin/users/:id/ban', tag: 'admin', access: 'admin', summary: 'Ban a user everywhere',
    description: 'Banned in every room (sockets closed with 4001); refused at sign-in and room creation (403 user_banned).',
    params: USER, responses: { 200: ok('UserBanResponse'), 400: BAD_INPUT, 401: NO_ADMIN, 403: BAD_ADMIN },
  },
  {
    method: 'delete', path: '/api/admin/users/:id/ban', tag: 'admin', access: 'admin', summary: 'Undo a ban everywhere',
    params: USER, responses: { 200: ok('UserUnbanResponse'), 400: BAD_INPUT, 401: NO_ADMIN, 403: BAD_ADMIN, 404: failure('ban_not_found') },
  },
];

const HOOKS: ApiOperation[] = [
  {
    method: 'post', path: '/api/hooks/tencent', tag: 'hooks', access: 'anyone', summary: 'Tencent CSS push callbacks',
    description: 'Only with MEDIA_PROVIDER=tencent: signed with TENCENT_CALLBACK_KEY (`sign` = md5(key + t)).',
    body: { media: ['application/json'], description: 'Tencent Cloud CSS callback body' },
    responses: {
      200: { description: '`{"code":0}`: taken (or ignored)', media: 'application/json' }, 400: BAD_INPUT,
      401: failure('bad_callback_sign / callback_expired / callback_replayed'), 413: failure('payload_too_large'),
    },
  },
];

export const OPERATIONS: readonly ApiOperation[] = [...API, ...PAGE_OPERATIONS, ...HOOKS];
