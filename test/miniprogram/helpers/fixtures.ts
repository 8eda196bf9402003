// API responses for the scripted-wx tests, built by the server's own code (URL signer, URL bases, room view,
// session tokens, domain errors through the error middleware) with a test secret, so they have the exact
// form the server sends. services/fixtures-contract.test.ts checks each builder against a running server.
import type { Context } from 'koa';
import type {
  CreateRoomResponse, LoginResponse, PlayResponse, PlayUrls, PushTicket, Room, RoomEndedErrorBody, RoomListResponse,
} from '../../../typings/api';
import { errorHandler } from '../../../server/api/middleware/error-handler';
import { urlBases } from '../../../server/api/url-bases';
import { IllegalTransition, RoomNotFound, Unauthorized, type DomainError } from '../../../server/errors';
import { SignedMediaUrls } from '../../../server/media/signed-media-urls';
import { encodeCursor } from '../../../server/rooms/cursor';
import { refuseTransition } from '../../../server/rooms/lifecycle';
import type { UrlBases } from '../../../server/rooms/ports';
import { toRoom } from '../../../server/rooms/room-view';
import { issueSessionToken } from '../../../server/signing/session-token';

/** SIGNING_SECRET of the fixtures (and of the server the contract test compares them with). */
export const TEST_SECRET = 'fixture-signing-secret-0123456789abcdef';

const HOUR = 3600_000;
export const NOW = Date.parse('2026-11-25T12:00:00.000Z');
const iso = (t: number) => new Date(t).toISOString();
/** the server's defaults (PUSH_TTL_S, PLAY_TTL_S, SESSION_TTL_S) */
const PUSH_TTL_S = 86400;
const PLAY_TTL_S = 3600;
const SESSION_TTL_S = 7 * 86400;

/** The dev-mode user the server makes of this wx.login code (captured from a real server, checked there). */
export const HOST = { code: 'fixture-host', user: { id: 'dev_o7W8uKxB76yZ31X7', nickname: 'dev-fixture-host' } };

/** The bases a server on 127.0.0.1:8080 with RTMP on 1935 derives from the request (no PUBLIC_* URLs). */
export function basesFor(httpHost: string, rtmpPort: number): UrlBases {
  const [hostname] = httpHost.split(':');
  return urlBases({ hostname, host: httpHost, protocol: 'http', state: {} } as unknown as Context, { rtmpPort });
}
export const BASES = basesFor('127.0.0.1:8080', 1935);

const media = new SignedMediaUrls(TEST_SECRET, true);
/** `generation`: the room's n-th push ticket (creating a room issues the first) */
export const pushTicket = (roomId: string, expiresS: number, bases = BASES, generation = 1): PushTicket =>
  media.push(roomId, expiresS, bases, generation);
export const playUrls = (roomId: string, expiresS: number, bases = BASES): PlayUrls => media.play(roomId, expiresS, bases);
export const replayUrl = (roomId: string, broadcastId: string, bases = BASES): string => media.replay(roomId, broadcastId, bases)!;

/** The n-th ticket of a room: each one expires a second later, so successive tickets differ like real ones. */
export const push = (roomId: string, n = 1): PushTicket => pushTicket(roomId, NOW / 1000 + PUSH_TTL_S + n);
export const play = (roomId: string, n = 1): PlayResponse => ({ play: playUrls(roomId, NOW / 1000 + PLAY_TTL_S + n) });

/** A session for HOST; `token` replaces the signed one where a test wants to tell sessions apart by name. */
export function loginAt(expS: number, token?: string): LoginResponse {
  const { id, nickname } = HOST.user;
  return { token: token ?? issueSessionToken(TEST_SECRET, { sub: id, nick: nickname, exp: expS }), user: HOST.user, expiresAt: iso(expS * 1000) };
}
export const login = (token?: string): LoginResponse => loginAt(NOW / 1000 + SESSION_TTL_S, token);

export const BROADCAST = 'BBBBBBBBBB';

/** A room as the server shows it (the server's view: viewers only while live, no `cover` key without one). */
export function room(over: Partial<Room> & { id: string }): Room {
  const status = over.status ?? 'live';
  const ms = (v: string | null | undefined, dflt: number | null) => (v === undefined ? dflt : v === null ? null : Date.parse(v));
  return toRoom({
    id: over.id, title: over.title ?? `Room ${over.id}`, cover: over.cover ?? null, hostId: over.hostId ?? HOST.user.id, status,
    createdAt: ms(over.createdAt, NOW - HOUR)!,
    startedAt: ms(over.startedAt, status === 'idle' ? null : NOW - HOUR / 2),
    endedAt: ms(over.endedAt, status === 'ended' ? NOW : null),
    broadcastId: status === 'idle' ? null : BROADCAST, disconnectedAt: null, pushGeneration: 1, pushIssuedAt: NOW - HOUR,
  }, over.viewers ?? 0);
}

export const created = (id: string, title: string): CreateRoomResponse => ({
  room: room({ id, title, status: 'idle' }),
  push: push(id),
});

export const liveRooms: RoomListResponse = {
  rooms: [
    room({ id: 'AAAAAAAAAAA1', title: 'Cooking with Mei', viewers: 1234, cover: 'https://img.example.com/a.jpg' }),
    room({ id: 'AAAAAAAAAAA2', title: 'Late night guitar', viewers: 7 }),
  ],
  nextCursor: null,
};

export const emptyList: RoomListResponse = { rooms: [], nextCursor: null };

/** The cursor the server hands out after `r` (opaque to clients). */
export const cursorAfter = (r: Room): string => encodeCursor({ createdAt: Date.parse(r.createdAt), id: r.id });

/** What the server's error middleware answers for a domain error. */
export function errorReply(err: DomainError): { status: number; body: { error: { code: string; message: string } & Record<string, unknown> } } {
  const ctx = { state: {}, status: 0, body: undefined as unknown };
  // the middleware catches a synchronous throw of `next` before its first await, so ctx is filled at once
  void errorHandler()(ctx as unknown as Context, () => { throw err; });
  return { status: ctx.status, body: ctx.body as { error: { code: string; message: string } } };
}

/** 409 of GET /play for an ended room (RoomService.playUrls). */
export const roomEnded = (roomId: string, replay: string | null = replayUrl(roomId, BROADCAST)): RoomEndedErrorBody =>
  errorReply(new IllegalTransition('room_ended', `Room "${roomId}" has ended.`, { replay })).body as RoomEndedErrorBody;

/** 409 of POST /push for an ended room. */
export const pushRefused = (roomId: string) => errorReply(refuseTransition(roomId, 'ended', 'live')).body;

export const roomNotFound = (roomId: string) => errorReply(new RoomNotFound(roomId)).body;

/** 401 for a bearer token the server does not accept. */
export const unauthorized = errorReply(new Unauthorized('The session token is invalid or expired; sign in again.')).body;
