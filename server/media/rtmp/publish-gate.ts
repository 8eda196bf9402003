// Holds a publisher's packets while its admission is decided, then forwards them to the hub in order, or drops them.
import type { AvPacket, PacketGate } from './nms';

/** What a publisher may send before it is admitted (clients normally wait for Publish.Start and send nothing). */
export const MAX_HELD_BYTES = 8 * 1024 * 1024;
export const MAX_HELD_PACKETS = 2000;

type GateState = 'holding' | 'open' | 'shut';

export interface GateTarget {
  /** hand a packet to the hub (may throw on a malformed packet) */
  forward(packet: AvPacket): void;
  /** the first packet was forwarded */
  started(): void;
  /** too much was held before admission */
  overflow(): void;
}

export class PublishGate implements PacketGate {
  private state: GateState = 'holding';
  private held: AvPacket[] = [];
  private heldBytes = 0;
  private forwarded = false;

  constructor(private readonly target: GateTarget) {}

  push(packet: AvPacket): void {
    if (this.state === 'open') return this.pass(packet);
    if (this.state === 'shut') return;
    if (this.held.length >= MAX_HELD_PACKETS || this.heldBytes + packet.size > MAX_HELD_BYTES) {
      this.shut();
      this.target.overflow();
      return;
    }
    // the parser reuses packet.data for the next message: keep a copy of just this one
    this.held.push({ ...packet, data: Buffer.from(packet.data.subarray(0, packet.size)) });
    this.heldBytes += packet.size;
  }

  /** Admitted: forward what was held, in order, and everything after. */
  open(): void {
    if (this.state !== 'holding') return;
    this.state = 'open';
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    for (const packet of held) this.pass(packet);
  }

  /** Refused or gone: drop what was held and everything after. */
  shut(): void {
    this.state = 'shut';
    this.held = [];
    this.heldBytes = 0;
  }

  get heldPackets(): number {
    return this.held.length;
  }

  private pass(packet: AvPacket): void {
    this.target.forward(packet);
    if (!this.forwarded) {
      this.forwarded = true;
      this.target.started();
    }
  }
}
