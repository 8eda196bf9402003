// An in-process subscriber of a stream's hub, like NMS's record session: receives whole FLV tags.
import { BaseSession, type BroadcastServer } from './nms';
import type { TagTap } from './types';

/**
 * Protocol 'flv' makes the hub send it the FLV header, metadata, sequence headers, the cached GOP, then every
 * live tag. An empty `ip` marks it internal: no prePlay/postPlay events, so our play admission never sees it.
 */
export class TapSession extends BaseSession {
  private attached = false;
  /** onEnd was called and no tag came since (a publish ending during stop() must not end it twice) */
  private ended = false;
  /** tags came since the last FLV header */
  private sawTags = false;

  constructor(
    private readonly broadcast: BroadcastServer,
    readonly tap: TagTap,
    private readonly onError: (err: unknown) => void,
  ) {
    super();
    this.protocol = 'flv';
    this.streamPath = broadcast.streamPath;
  }

  override sendBuffer = (buffer: Buffer): void => {
    this.ended = false;
    this.sawTags = !isFlvHeader(buffer);
    this.guarded(() => this.tap.onTag(buffer));
  };

  /** The hub's GOP ends (a keyframe is next): the tap copies what it keeps of that GOP before its buffers are reused. */
  onGopEnd = (): void => {
    this.guarded(() => this.tap.onGopEnd?.());
  };

  /** A new publish is about to feed the hub: start a new FLV stream if this tap has seen one already. */
  newPublish(): void {
    if (this.attached && this.sawTags) this.sendBuffer(this.broadcast.flvHeader);
  }

  attach(): void {
    if (this.attached) return;
    this.attached = true;
    this.broadcast.postPlay(this);
  }

  /** Idempotent; returns whether it was attached. */
  detach(): boolean {
    if (!this.attached) return false;
    this.attached = false;
    this.broadcast.donePlay(this);
    return true;
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.guarded(() => this.tap.onEnd?.());
  }

  /** A throwing consumer must not reach the publisher's data path (that would close the publisher). */
  private guarded(call: () => void): void {
    try {
      call();
    } catch (err) {
      this.onError(err);
    }
  }
}

const isFlvHeader = (b: Buffer): boolean => b.length === 13 && b[0] === 0x46 && b[1] === 0x4c && b[2] === 0x56; // "FLV"
