// Media URLs of the embedded server (design.md §4), signed with the HMAC scheme of §5.
import type { PlayUrls, PushTicket } from '../../typings/api';
import type { GuestPlayUrls, GuestSlot } from '../../typings/cohost';
import type { MediaUrls, UrlBases } from '../rooms/ports';
import { guestQuery, guestStream, signGuest } from '../signing/guest-signature';
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

  /** `rtmp://…/live/<roomId>~<slot>?expires=&gen=&user=&sign=` (issue 15) */
  guestPush(roomId: string, slot: GuestSlot, userId: string, expiresAtS: number, bases: UrlBases, generation: number): PushTicket {
    const stream = guestStream(roomId, slot);
    const streamKey = `${stream}?${guestQuery(signGuest(this.secret, stream, userId, expiresAtS, generation))}`;
    return { url: `${bases.rtmp}/${streamKey}`, server: bases.rtmp, streamKey, expiresAt: new Date(expiresAtS * 1000).toISOString() };
  }

  /** the room's own play signature opens its guest slots: one signed URL set per viewer, not one per slot */
  guestPlay(roomId: string, slot: GuestSlot, expiresAtS: number, bases: UrlBases): Pick<GuestPlayUrls, 'flv' | 'rtmp' | 'hls'> {
    const q = toQuery(signMedia(this.secret, 'play', roomId, expiresAtS));
    const stream = guestStream(roomId, slot);
    return {
      flv: `${bases.http}/live/${stream}.flv?${q}`,
      rtmp: `${bases.rtmp}/${stream}?${q}`,
      hls: `${bases.http}/live/${stream}/index.m3u8?${q}`,
    };
  }

  replay(roomId: string, broadcastId: string, bases: UrlBases): string | null {
    return this.replayOn ? `${bases.http}/replay/${roomId}/${broadcastId}/index.m3u8` : null;
  }
}
