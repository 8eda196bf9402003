// The HTTP-FLV viewers of one stream (a room's main stream, or a guest slot's): one FlvFanout with one hub
// subscription while anyone watches, made for the first viewer and closed after the last.
import { FlvFanout, type ByteSink } from '../flv/flv-fanout';
import type { TagTap } from '../rtmp/types';

export interface FlvViewersOptions {
  /** the hub subscription of the stream (a stream key: room id or `<roomId>~<slot>`) */
  subscribe(tap: TagTap): () => void;
  mergeMs: number;
  maxBufferedBytes: number;
  onBytes(n: number): void;
  onSlow(bufferedBytes: number): void;
}

/** An HTTP-FLV viewer's place in a fan-out; `leave` is safe to call more than once. */
export interface FlvWatch { leave(): void }

export class FlvViewers {
  private fanout: FlvFanout | null = null;

  constructor(private readonly o: FlvViewersOptions) {}

  /** Adds a viewer; `lowLatency` viewers get every tag at once (no merge window). */
  watch(sink: ByteSink, lowLatency = false): FlvWatch {
    if (!this.fanout) {
      const { mergeMs, maxBufferedBytes, onBytes, onSlow } = this.o;
      const fanout = new FlvFanout({ mergeMs, maxBufferedBytes, onBytes, onSlow });
      fanout.attached(this.o.subscribe(fanout));
      this.fanout = fanout;
    }
    const fanout = this.fanout;
    fanout.join(sink, { lowLatency });
    return {
      // the last viewer out closes the fan-out, unless it was already replaced (publisher gone, room ended)
      leave: () => {
        if (fanout.leave(sink) === 0 && this.fanout === fanout) this.close();
      },
    };
  }

  /** Ends every viewer's response and leaves the hub. */
  close(): void {
    this.fanout?.close();
    this.fanout = null;
  }

  get size(): number {
    return this.fanout?.size ?? 0;
  }
}
