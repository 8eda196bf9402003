// The room socket client over a scripted wx.connectSocket: the URL from the API base, `auth` first when signed
// in, frames parsed, reconnect with backoff after a drop (not after 4001 / 4004), pause/resume closes and reopens.
import { RoomSocket, type SocketEvent } from '../../../miniprogram/services/room-socket';
import { socketUrl } from '../../../miniprogram/lib/urls';
import type { ServerFrame } from '../../../typings/chat';
import { FakeWx } from '../helpers/fake-wx';

const RETRY = { baseMs: 100, factor: 2, maxMs: 400, maxTries: 3, jitter: 0 };
let fake: FakeWx;
let frames: ServerFrame[];
let events: SocketEvent[];
let token: string | null;

beforeEach(() => {
  jest.useFakeTimers();
  fake = new FakeWx();
  frames = [];
  events = [];
  token = 'tok-1';
});
afterEach(() => jest.useRealTimers());

const make = () => new RoomSocket({
  url: socketUrl('https://live.example.com/', 'R1'), wx: () => fake, retry: RETRY, token: () => token,
  onFrame: (f) => frames.push(f), onEvent: (e) => events.push(e),
});

test('socket URL: ws for http, wss for https, the room id escaped', () => {
  expect(socketUrl('http://127.0.0.1:8080', 'abc')).toBe('ws://127.0.0.1:8080/api/rooms/abc/socket');
  expect(socketUrl('https://live.example.com/', 'a/b')).toBe('wss://live.example.com/api/rooms/a%2Fb/socket');
});

test('auth is the first frame when signed in; frames are parsed; a guest sends none', async () => {
  const s = make();
  s.start();
  const sock = fake.socket!;
  expect(sock.url).toBe('wss://live.example.com/api/rooms/R1/socket');
  sock.open();
  await jest.advanceTimersByTimeAsync(1);
  expect(sock.sent).toEqual([{ type: 'auth', token: 'tok-1' }]);
  sock.frame({ type: 'likes', total: 3 });
  await jest.advanceTimersByTimeAsync(1);
  expect(frames).toEqual([{ type: 'likes', total: 3 }]);
  expect(s.send({ type: 'like', count: 2 })).toBe(true);
  expect(sock.of('like')).toEqual([{ type: 'like', count: 2 }]);
  s.stop();

  token = null;
  make().start();
  fake.socket!.open();
  await jest.advanceTimersByTimeAsync(1);
  expect(fake.socket!.sent).toEqual([]);
});

test('a drop reconnects after the backoff (100, 200, 400 ms), a hello resets it; 4004 and 4001 do not reconnect', async () => {
  const s = make();
  s.start();
  fake.socket!.open();
  await jest.advanceTimersByTimeAsync(1);
  fake.socket!.drop(1006);
  await jest.advanceTimersByTimeAsync(99);
  expect(fake.sockets).toHaveLength(1);
  await jest.advanceTimersByTimeAsync(2);
  expect(fake.sockets).toHaveLength(2);
  fake.socket!.fail(); // the connect itself fails: the next wait is longer
  await jest.advanceTimersByTimeAsync(199);
  expect(fake.sockets).toHaveLength(2);
  await jest.advanceTimersByTimeAsync(2);
  expect(fake.sockets).toHaveLength(3);
  fake.socket!.open();
  fake.socket!.frame({ type: 'hello', room: { id: 'R1', title: 't', hostId: 'h', status: 'live' }, you: null, viewers: 0, likes: 0, history: [], settings: { slowModeS: 0, closed: false } });
  await jest.advanceTimersByTimeAsync(1);
  fake.socket!.drop(1006);
  await jest.advanceTimersByTimeAsync(101); // back to the first delay
  expect(fake.sockets).toHaveLength(4);
  fake.socket!.open();
  await jest.advanceTimersByTimeAsync(1);
  fake.socket!.drop(4004);
  await jest.advanceTimersByTimeAsync(2000);
  expect(fake.sockets).toHaveLength(4);
  expect(events).toContain('gone');

  const b = make();
  b.start();
  fake.socket!.open();
  await jest.advanceTimersByTimeAsync(1);
  fake.socket!.drop(4001);
  await jest.advanceTimersByTimeAsync(2000);
  expect(fake.sockets).toHaveLength(5);
  expect(events).toContain('banned');
});

test('out of tries: "gave-up"; pause() closes the socket and stops retrying, resume() opens a new one', async () => {
  const s = make();
  s.start();
  for (let i = 0; i < 4; i++) {
    fake.socket!.fail();
    await jest.advanceTimersByTimeAsync(500);
  }
  expect(fake.sockets).toHaveLength(4);
  expect(events[events.length - 1]).toBe('gave-up');
  s.resume(); // a fresh budget on the way back
  expect(fake.sockets).toHaveLength(5);
  fake.socket!.open();
  await jest.advanceTimersByTimeAsync(1);
  s.pause();
  expect(fake.socket!.closedBy).toEqual({ code: 1000, reason: 'background' });
  await jest.advanceTimersByTimeAsync(2000);
  expect(fake.sockets).toHaveLength(5);
  s.resume();
  expect(fake.sockets).toHaveLength(6);
  s.stop();
  await jest.advanceTimersByTimeAsync(2000);
  expect(fake.sockets).toHaveLength(6);
});
