// RTMP stream paths (this server serves `/live/<roomId>` and nothing else) and the hooks' view of a session.
import { ROOM_ID_PATTERN } from '../../rooms/ids';
import type { RtmpSession } from './nms';
import type { StreamRequest } from './types';

export const RTMP_APP = 'live';

export const streamPathOf = (roomId: string): string => `/${RTMP_APP}/${roomId}`;

/** The room a stream path names, or null for any other app or a malformed name. */
export function roomIdOf(streamPath: string): string | null {
  const prefix = `/${RTMP_APP}/`;
  if (!streamPath.startsWith(prefix)) return null;
  const roomId = streamPath.slice(prefix.length);
  return ROOM_ID_PATTERN.test(roomId) ? roomId : null;
}

export function requestOf(session: RtmpSession, roomId: string): StreamRequest {
  const address = (session.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  // querystring.parse gives a null-prototype object; hand the hooks a plain copy
  return { sessionId: session.id, roomId, query: { ...session.streamQuery }, address };
}
