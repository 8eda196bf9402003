// Media URLs of the embedded server (design.md §4), signed with the HMAC scheme of §5.
import type { PlayUrls, PushTicket } from '../../typings/api';
import type { MediaUrls, UrlBases } from '../rooms/ports';
import { signMedia, toQuery } from '../signing/media-signature';

export class SignedMediaUrls implements MediaUrls {
  constructor(private readonly secret: string, private readonly replayOn: boolean) {}

  push(roomId: string, expiresAtS: number, bases: UrlBases, generation: number): PushTicket {
    const streamKey = `${roomId}?${toQuery(signMedia(this.secret, 'publish', roomId, expiresAtS, generation))}`;
    return { url: `${bases.rtmp}/${streamKey}`, server: bases.rtmp, streamKey, expiresAt: new Date(expiresAtS * 1000).toISOString() };
  }

  play(roomId: string, expiresAtS: number, bases: UrlBases): PlayUrls {
    const q = toQuery(signMedia(this.secret, 'play', roomId, expiresAtS));
    return {
      flv: `${bases.http}/live/${roomId}.flv?${q}`,
      rtmp: `${bases.rtmp}/${roomId}?${q}`,
      hls: `${bases.http}/live/${roomId}/index.m3u8?${q}`,
      expiresAt: new Date(expiresAtS * 1000).toISOString(),
    };
  }

  replay(roomId: string, broadcastId: string, bases: UrlBases): string | null {
    return this.replayOn ? `${bases.http}/replay/${roomId}/${broadcastId}/index.m3u8` : null;
  }
}
