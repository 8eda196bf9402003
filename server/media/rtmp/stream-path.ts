// RTMP stream paths (this server serves `/live/<roomId>` and a room's guest slots `/live/<roomId>~g1`…`~g3`,
// nothing else) and the hooks' view of a session. A "stream key" names one stream of the hub: the room id for
// the main stream, `<roomId>~<slot>` for a guest's; the ingest's per-stream methods take one.
import { GUEST_SLOTS, type GuestSlot } from '../../../typings/cohost';
import { ROOM_ID_PATTERN } from '../../rooms/ids';
import type { RtmpSession } from './nms';
import type { StreamRequest } from './types';

export const RTMP_APP = 'live';
/** between the room id and the slot in a guest's stream name (not in a room id's alphabet, nor URL-special) */
export const SLOT_MARK = '~';

/** One stream of a room: the main one (slot null) or a guest slot's. */
export interface StreamName { roomId: string; slot: GuestSlot | null }

export const streamKeyOf = (roomId: string, slot: GuestSlot | null = null): string => (slot ? `${roomId}${SLOT_MARK}${slot}` : roomId);

export const streamPathOf = (key: string): string => `/${RTMP_APP}/${key}`;

/** The room and slot a stream key names, or null for a malformed one. */
export function parseStreamKey(key: string): StreamName | null {
  const mark = key.indexOf(SLOT_MARK);
  const roomId = mark < 0 ? key : key.slice(0, mark);
  if (!ROOM_ID_PATTERN.test(roomId)) return null;
  if (mark < 0) return { roomId, slot: null };
  const slot = key.slice(mark + 1) as GuestSlot;
  return GUEST_SLOTS.includes(slot) ? { roomId, slot } : null;
}

/** The room and slot a stream path names, or null for any other app or a malformed name. */
export function parseStreamPath(streamPath: string): StreamName | null {
  const prefix = `/${RTMP_APP}/`;
  return streamPath.startsWith(prefix) ? parseStreamKey(streamPath.slice(prefix.length)) : null;
}

/** The room a stream path names (main stream or guest slot), or null. */
export function roomIdOf(streamPath: string): string | null {
  return parseStreamPath(streamPath)?.roomId ?? null;
}

export function requestOf(session: RtmpSession, name: StreamName): StreamRequest {
  const address = (session.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  // querystring.parse gives a null-prototype object; hand the hooks a plain copy
  return { sessionId: session.id, roomId: name.roomId, slot: name.slot, query: { ...session.streamQuery }, address };
}
