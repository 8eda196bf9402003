// The audience page's live-player events: its state codes (playing, buffering, a stutter cleared after a while or at
// the first frames counted, reconnecting, gave up, stream ended) and its net status line.
import { CONFIG } from '../../config';
import { netStatusLine, readNetStatus } from '../../lib/net-status';
import { playerState } from '../../lib/player-states';
import type { AudienceData } from './audience-data';
import { keepScreenOn, rt } from './audience-runtime';

interface AudiencePlayerPage {
  data: AudienceData;
  setData(patch: Partial<AudienceData>): void;
  clearStutter(): void;
  onGaveUp(): void;
  checkEnded(): Promise<void>;
}

export const audiencePlayer = {
  onPlayerState(this: AudiencePlayerPage, e: WechatMiniprogram.CustomEvent<{ code?: number | string }>) {
    if (this.data.stage === 'ended') return;
    const r = rt(this);
    const row = playerState(Number(e.detail.code));
    this.setData({ status: row.status, tone: row.tone });
    switch (row.action) {
      case 'playing':
        r.recovery.onPlaying();
        this.clearStutter();
        if (!this.data.playing) keepScreenOn(true);
        this.setData({ playing: true, buffering: false, reconnecting: false, stage: 'watching' });
        break;
      case 'buffering':
        this.setData({ buffering: true });
        break;
      case 'stutter':
        // after the fact: clear it after a while (or at the first frames counted), not only on 2004
        this.setData({ buffering: true });
        this.clearStutter();
        r.stutterTimer = setTimeout(() => {
          r.stutterTimer = null;
          this.setData({ buffering: false });
        }, CONFIG.stutterClearMs);
        break;
      case 'reconnecting':
        this.setData({ reconnecting: true, buffering: false });
        break;
      case 'refetch':
        this.onGaveUp();
        break;
      case 'stream-ended':
        this.checkEnded();
        break;
      case 'none':
        break;
    }
  },

  onNetStatus(this: AudiencePlayerPage, e: WechatMiniprogram.CustomEvent<WechatMiniprogram.IAnyObject>) {
    const r = rt(this);
    const ns = readNetStatus(e.detail);
    if (ns.videoWidth && ns.videoHeight) {
      r.videoWidth = ns.videoWidth;
      r.videoHeight = ns.videoHeight;
    }
    // frames are coming again: a stutter is over
    if (r.stutterTimer !== null && (ns.videoFPS ?? 0) > 0) {
      this.clearStutter();
      this.setData({ buffering: false });
    }
    this.setData({ netLine: netStatusLine(ns, '↓') });
  },

  clearStutter(this: AudiencePlayerPage) {
    const r = rt(this);
    if (r.stutterTimer !== null) clearTimeout(r.stutterTimer);
    r.stutterTimer = null;
  },
};
