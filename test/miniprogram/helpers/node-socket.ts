// wx.connectSocket over Node's `ws`, with SocketTask's shape (onOpen/onMessage/onClose/onError, send, close),
// so the mini-program's socket client can talk to a real wxlive server in a test.
import WebSocket from 'ws';
import type { ConnectSocketOptions, SocketPort, SocketTaskPort } from '../../../miniprogram/services/room-socket';

export function nodeSocketPort(): SocketPort & { open: WebSocket[] } {
  const open: WebSocket[] = [];
  return {
    open,
    connectSocket(o: ConnectSocketOptions): SocketTaskPort {
      const ws = new WebSocket(o.url);
      open.push(ws);
      return {
        send: (m) => ws.send(m.data),
        close: (m) => ws.close(m.code ?? 1000, m.reason),
        onOpen: (cb) => { ws.on('open', () => cb({})); },
        onMessage: (cb) => { ws.on('message', (data) => cb({ data: data.toString() })); },
        onClose: (cb) => { ws.on('close', (code, reason) => cb({ code, reason: reason.toString() })); },
        onError: (cb) => { ws.on('error', (e) => cb({ errMsg: e.message })); },
      };
    },
  };
}
