// How fast a publisher sends media compared with the wall clock: a live encoder sends one second per second; a
// file pushed without -re sends minutes per second and would fill the disk (HLS, replays) in moments.
import { FLV_TAG_AUDIO as TAG_AUDIO, FLV_TAG_HEADER_SIZE, FLV_TAG_VIDEO as TAG_VIDEO, flvTagTimestamp } from '../flv/tag-header';
import type { TagTap } from './types';

/** media a publisher may send ahead of the clock at any time: its first GOP, an encoder's start-up burst */
export const PACE_SLACK_MS = 5000;

export interface PaceOptions {
  /** media seconds allowed per wall-clock second (PUBLISH_MAX_SPEED) */
  maxSpeed: number;
  /** called once, when the publisher got further ahead than the slack allows */
  tooFast(mediaMs: number, wallMs: number): void;
  now?: () => number;
  slackMs?: number;
}

/**
 * A tap on the publisher's stream. Media time is the larger of the audio and video durations, each the sum of
 * its forward timestamp steps: a timestamp that jumps back (a reset, a loop) does not win time back, one that
 * jumps ahead counts in full.
 */
export class PublishPace implements TagTap {
  private startedAt: number | null = null;
  /** per track (0 audio, 1 video): the last timestamp seen (NaN: none yet) and the media time sent */
  private readonly last = [NaN, NaN];
  private readonly sent = [0, 0];
  private tripped = false;
  private readonly now: () => number;
  private readonly slackMs: number;

  constructor(private readonly opts: PaceOptions) {
    this.now = opts.now ?? Date.now;
    this.slackMs = opts.slackMs ?? PACE_SLACK_MS;
  }

  onTag(tag: Buffer): void {
    const type = tag[0];
    if (this.tripped || tag.length < FLV_TAG_HEADER_SIZE || (type !== TAG_AUDIO && type !== TAG_VIDEO)) return;
    const dts = flvTagTimestamp(tag);
    const now = this.now();
    this.startedAt ??= now;
    const track = type === TAG_AUDIO ? 0 : 1;
    const last = this.last[track]!;
    this.last[track] = dts;
    if (!(dts > last)) return; // (false for NaN: the track's first tag)
    const sent = this.sent[track]! + (dts - last);
    this.sent[track] = sent;
    const wallMs = now - this.startedAt;
    if (sent > this.slackMs + this.opts.maxSpeed * wallMs) {
      this.tripped = true;
      this.opts.tooFast(sent, wallMs);
    }
  }
}
