// A scripted wx SocketTask: the test plays the server (open, frames, close) and reads what the client sent.
// Callbacks run on a timer like the real ones (never inside the call that caused them).
import type { SocketTaskPort } from '../../../miniprogram/services/room-socket';
import type { ClientFrame, ServerFrame } from '../../../typings/chat';

type Cb<T> = (arg: T) => void;

export class FakeSocket implements SocketTaskPort {
  /** every frame the client sent, parsed */
  readonly sent: ClientFrame[] = [];
  state: 'connecting' | 'open' | 'closed' = 'connecting';
  closedBy: { code?: number; reason?: string } | null = null;
  private readonly opens: Cb<unknown>[] = [];
  private readonly messages: Cb<{ data: string }>[] = [];
  private readonly closes: Cb<{ code: number; reason: string }>[] = [];
  private readonly errors: Cb<{ errMsg: string }>[] = [];

  constructor(readonly url: string) {}

  send(o: { data: string | ArrayBuffer; fail?: (e: { errMsg: string }) => void }): void {
    if (this.state !== 'open') {
      setTimeout(() => o.fail?.({ errMsg: 'sendSocketMessage:fail socket is not connected' }), 0);
      return;
    }
    this.sent.push(JSON.parse(String(o.data)) as ClientFrame);
  }

  close(o: { code?: number; reason?: string } = {}): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closedBy = { code: o.code, reason: o.reason };
    setTimeout(() => this.closes.forEach((cb) => cb({ code: o.code ?? 1000, reason: o.reason ?? '' })), 0);
  }

  onOpen(cb: Cb<unknown>): void { this.opens.push(cb); }
  onMessage(cb: Cb<{ data: string }>): void { this.messages.push(cb); }
  onClose(cb: Cb<{ code: number; reason: string }>): void { this.closes.push(cb); }
  onError(cb: Cb<{ errMsg: string }>): void { this.errors.push(cb); }

  // ---- the server's side ----

  open(): void {
    this.state = 'open';
    setTimeout(() => this.opens.forEach((cb) => cb({})), 0);
  }

  frame(f: ServerFrame): void {
    const data = JSON.stringify(f);
    setTimeout(() => this.messages.forEach((cb) => cb({ data })), 0);
  }

  /** the server (or the network) closes it */
  drop(code = 1006, reason = ''): void {
    this.state = 'closed';
    setTimeout(() => this.closes.forEach((cb) => cb({ code, reason })), 0);
  }

  fail(errMsg = 'connectSocket:fail'): void {
    this.state = 'closed';
    setTimeout(() => this.errors.forEach((cb) => cb({ errMsg })), 0);
  }

  /** frames of one type the client sent */
  of<T extends ClientFrame['type']>(type: T): Extract<ClientFrame, { type: T }>[] {
    return this.sent.filter((f) => f.type === type) as Extract<ClientFrame, { type: T }>[];
  }
}
