// Back-pressure from the recording to the publisher: while a room's recorder has more finished segments waiting
// for the disk than it may hold, the publisher's socket is not read (TCP makes the encoder wait), as the old
// synchronous writes did by blocking everyone. Viewers of other rooms and the API are not held up.
// (Reaches into the RTMP stack like RtmpIngest.disconnect does; it belongs there once the ingest offers it.)
import { Context, type RtmpSession } from '../rtmp/nms';
import { streamPathOf } from '../rtmp/stream-path';

export function holdPublisher(roomId: string, hold: boolean): void {
  const publisher = Context.broadcasts.get(streamPathOf(roomId))?.publisher as RtmpSession | null | undefined;
  const socket = publisher?.socket;
  if (!socket || socket.destroyed) return;
  if (hold) socket.pause();
  else socket.resume();
}
