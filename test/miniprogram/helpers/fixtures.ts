// Responses in the real API shape (typings/api.ts), as the wxlive server sends them.
import type {
  CreateRoomResponse, LoginResponse, PlayResponse, PushResponse, Room, RoomEndedErrorBody, RoomListResponse,
} from '../../../typings/api';

const HOUR = 3600_000;
export const NOW = Date.parse('2026-11-25T12:00:00.000Z');
const iso = (t: number) => new Date(t).toISOString();

export function room(over: Partial<Room> & { id: string }): Room {
  return {
    title: `Room ${over.id}`, hostId: 'dev_h0st', status: 'live', createdAt: iso(NOW - HOUR),
    startedAt: iso(NOW - HOUR / 2), endedAt: null, viewers: 0, ...over,
  };
}

export const login = (token = 'tok-1'): LoginResponse => ({
  token, user: { id: 'dev_h0st', nickname: 'dev-host' }, expiresAt: iso(NOW + 24 * HOUR),
});

export const liveRooms: RoomListResponse = {
  rooms: [
    room({ id: 'AAAAAAAAAAA1', title: 'Cooking with Mei', viewers: 1234, cover: 'https://img.example.com/a.jpg' }),
    room({ id: 'AAAAAAAAAAA2', title: 'Late night guitar', viewers: 7 }),
  ],
  nextCursor: null,
};

export const emptyList: RoomListResponse = { rooms: [], nextCursor: null };

export const push = (roomId: string, n = 1): PushResponse['push'] => ({
  server: 'rtmp://127.0.0.1:1935/live',
  streamKey: `${roomId}?exp=${1800000000 + n}&sig=sig${n}`,
  url: `rtmp://127.0.0.1:1935/live/${roomId}?exp=${1800000000 + n}&sig=sig${n}`,
  expiresAt: iso(NOW + 24 * HOUR),
});

export const created = (id: string, title: string): CreateRoomResponse => ({
  room: room({ id, title, status: 'idle', startedAt: null }),
  push: push(id),
});

export const play = (roomId: string, n = 1): PlayResponse => ({
  play: {
    flv: `http://127.0.0.1:8080/live/${roomId}.flv?exp=${1800000000 + n}&sig=p${n}`,
    rtmp: `rtmp://127.0.0.1:1935/live/${roomId}?exp=${1800000000 + n}&sig=p${n}`,
    hls: `http://127.0.0.1:8080/live/${roomId}/index.m3u8?exp=${1800000000 + n}&sig=p${n}`,
    expiresAt: iso(NOW + HOUR),
  },
});

export const roomEnded = (roomId: string): RoomEndedErrorBody => ({
  error: { code: 'room_ended', message: `Room "${roomId}" has ended.`, replay: `http://127.0.0.1:8080/replay/${roomId}/BBBBBBBBBB/index.m3u8` },
});

export const unauthorized = { error: { code: 'unauthorized', message: 'The session token is invalid or expired; sign in again.' } };
