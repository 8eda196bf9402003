// Media URLs on Tencent Cloud Live: push to the push domain, play from the play domain (CDN), each signed
// with its own key. The request's URL bases do not matter here: CSS domains are fixed by configuration.
import type { PlayUrls, PushTicket } from '../../../typings/api';
import type { MediaUrls, UrlBases } from '../../rooms/ports';
import { signedStreamQuery } from './tencent-signing';

export interface TencentUrlOptions {
  pushDomain: string;
  playDomain: string;
  pushKey: string;
  /** without a play key the play domain is open (URL auth off in the CSS console) */
  playKey?: string;
  /** the CSS "AppName" path segment, `live` unless changed */
  appName: string;
}

export class TencentMediaUrls implements MediaUrls {
  constructor(private readonly o: TencentUrlOptions) {}

  /** CSS checks the push URL itself; a generation cannot be signed into its scheme (see README, Limits) */
  push(roomId: string, expiresAtS: number, _bases: UrlBases, _generation?: number): PushTicket {
    const server = `rtmp://${this.o.pushDomain}/${this.o.appName}`;
    const streamKey = `${roomId}?${signedStreamQuery(this.o.pushKey, roomId, expiresAtS)}`;
    return { url: `${server}/${streamKey}`, server, streamKey, expiresAt: new Date(expiresAtS * 1000).toISOString() };
  }

  play(roomId: string, expiresAtS: number, _bases: UrlBases): PlayUrls {
    const q = this.o.playKey ? `?${signedStreamQuery(this.o.playKey, roomId, expiresAtS)}` : '';
    const path = `${this.o.playDomain}/${this.o.appName}/${roomId}`;
    return {
      flv: `https://${path}.flv${q}`,
      rtmp: `rtmp://${path}${q}`,
      hls: `https://${path}.m3u8${q}`,
      expiresAt: new Date(expiresAtS * 1000).toISOString(),
    };
  }

  // No guestPush / guestPlay: co-hosting answers 501 on this plane. CSS signs only (stream, expiry), so a guest
  // ticket could not die with its acceptance, and kicking a guest would need the CSS DropLiveStream API.

  /** Recording on CSS is a console feature with its own storage; no replay URL is issued from here. */
  replay(_roomId: string, _broadcastId: string, _bases: UrlBases): string | null {
    return null;
  }
}
