// One room's media through a broadcast, without ffmpeg or sockets: a fake hub and a fake recorder show who
// publishes, when the recording is fed, paused, resumed and ended, and that FLV viewers go with the publisher.
import type { ByteSink } from '../../../server/media/flv/flv-fanout';
import type { HlsRecorder } from '../../../server/media/hls-output/hls-recorder';
import { RoomMedia, type RoomMediaOptions } from '../../../server/media/embedded/room-media';
import type { TagTap } from '../../../server/media/rtmp/types';

const ROOM = 'AAAAAAAAAAAA';
/** a publish that starts a new broadcast */
const NEW = { id: 'Broadcast1', resumes: false };

/** The stream hub: who is subscribed now. */
class FakeHub {
  readonly taps = new Set<TagTap>();
  subscribe(_roomId: string, tap: TagTap): () => void {
    this.taps.add(tap);
    return () => this.taps.delete(tap);
  }
  send(tag: Buffer): void {
    for (const t of [...this.taps]) t.onTag(tag);
  }
}

/** What the room asks of its recorder, logged. */
function fakeRecorder(name: string, log: string[], broadcastId = 'b000000001'): HlsRecorder {
  return {
    cache: { broadcastId, lastRequestAt: 0 },
    onTag: () => log.push(`${name}:tag`),
    pause: () => log.push(`${name}:pause`),
    resume: () => log.push(`${name}:resume`),
    end: () => log.push(`${name}:end`),
  } as unknown as HlsRecorder;
}

function sink(): ByteSink & { ended: boolean } {
  return {
    ended: false, destroyed: false, writableLength: 0,
    write: () => true, end() { this.ended = true; }, destroy() {},
  };
}

function room(hub: FakeHub, out: Array<[string, number]> = []): RoomMedia {
  const o: RoomMediaOptions = {
    hub, flv: { mergeMs: 0, maxBufferedBytes: 1 << 20, onSlow: () => {} }, onBytesOut: (p, n) => out.push([p, n]),
  };
  return new RoomMedia(ROOM, o);
}

test('one publisher at a time: a second session is refused until the first left; a refused one leaving changes nothing', () => {
  const m = room(new FakeHub());
  expect(m.admitPublisher('s1', NEW)).toBe(true);
  expect(m.admitPublisher('s1', NEW)).toBe(true); // the same session asking again
  expect(m.busyFor('s2')).toBe(true);
  expect(m.admitPublisher('s2', NEW)).toBe(false);
  expect(m.publisherLeft('s2')).toBe(false);
  expect(m.publisher).toBe('s1');
  expect(m.publisherLeft('s1')).toBe(true);
  expect(m.publisher).toBeNull();
  expect(m.admitPublisher('s2', NEW)).toBe(true);
});

test('admitted, lost, resumed, ended: the recorder is fed only while live, continues on resume, ends once', () => {
  const hub = new FakeHub();
  const log: string[] = [];
  const m = room(hub);
  m.admitPublisher('s1', NEW);
  expect(m.startRecording(false, () => fakeRecorder('r1', log))).toBeNull();
  hub.send(Buffer.from([9]));
  expect(log).toEqual(['r1:tag']);

  // lost: the publish ended here, so media pauses at once (the store's grace follows)
  expect(m.publisherLeft('s1')).toBe(true);
  expect(hub.taps.size).toBe(0);
  hub.send(Buffer.from([9]));
  expect(log).toEqual(['r1:tag', 'r1:pause']);
  expect(m.idle()).toBe(false); // the paused recorder keeps the room

  // resumed inside the grace: the same recorder, after a discontinuity, fed again (no second subscription)
  m.admitPublisher('s2', NEW);
  expect(m.startRecording(true, () => fakeRecorder('unused', log))).toBeNull();
  expect(hub.taps.size).toBe(1);
  hub.send(Buffer.from([9]));
  expect(log).toEqual(['r1:tag', 'r1:pause', 'r1:resume', 'r1:tag']);

  // ended: last segment and ENDLIST, nothing fed after, the room holds nothing
  const ended = m.end();
  expect(ended?.cache.broadcastId).toBe('b000000001');
  hub.send(Buffer.from([9]));
  expect(log.slice(4)).toEqual(['r1:end']);
  expect(m.publisher).toBeNull();
  expect(m.endRecording()).toBeNull();
  expect(m.idle()).toBe(true);
});

test('a new broadcast (not a resume) ends the old recorder and hands it back, to wait for its writes', () => {
  const hub = new FakeHub();
  const log: string[] = [];
  const m = room(hub);
  m.startRecording(false, () => fakeRecorder('r1', log, 'b000000001'));
  const replaced = m.startRecording(false, () => fakeRecorder('r2', log, 'b000000002'));
  expect(replaced?.cache.broadcastId).toBe('b000000001');
  expect(log).toEqual(['r1:end']);
  expect(hub.taps.size).toBe(1);
  // the live cache answers for the current broadcast only, and is marked as watched
  expect(m.liveCache('b000000001')).toBeUndefined();
  expect(m.liveCache('b000000002', 1234)?.lastRequestAt).toBe(1234);
});

test('a resume with no recorder here (the process restarted) starts one', () => {
  const log: string[] = [];
  const m = room(new FakeHub());
  m.startRecording(true, () => fakeRecorder('fresh', log));
  expect(m.liveCache('b000000001')).toBeDefined();
});

test('FLV viewers share one hub subscription; the publisher leaving closes them; the last to leave closes the fan-out', () => {
  const hub = new FakeHub();
  const m = room(hub);
  m.admitPublisher('s1', NEW);
  const a = sink();
  const b = sink();
  const wa = m.watchFlv(a);
  m.watchFlv(b);
  expect([m.flvViewers, hub.taps.size]).toEqual([2, 1]);
  wa.leave();
  wa.leave(); // twice is harmless
  expect([m.flvViewers, hub.taps.size]).toEqual([1, 1]);
  m.publisherLeft('s1');
  expect([m.flvViewers, hub.taps.size, b.ended]).toEqual([0, 0, true]);

  const c = sink();
  const wc = m.watchFlv(c);
  expect(hub.taps.size).toBe(1);
  wc.leave();
  expect([m.flvViewers, hub.taps.size]).toEqual([0, 0]);
});

test('bytes out are counted per room and reported by protocol', () => {
  const out: Array<[string, number]> = [];
  const m = room(new FakeHub(), out);
  m.countOut('hls', 100);
  m.countOut('flv', 20);
  expect(m.bytesOut).toBe(120);
  expect(out).toEqual([['hls', 100], ['flv', 20]]);
});

test('the admitted broadcast belongs to the current publisher; records() says which recording is being fed', () => {
  const hub = new FakeHub();
  const m = room(hub);
  m.admitPublisher('s1', { id: 'b000000001', resumes: true });
  expect(m.admittedBroadcast('s1')).toEqual({ id: 'b000000001', resumes: true });
  expect(m.admittedBroadcast('s2')).toBeNull(); // a refused second publisher records nothing
  expect(m.records('b000000001')).toBe(false);
  m.startRecording(true, () => fakeRecorder('r1', [], 'b000000001'));
  expect(m.records('b000000001')).toBe(true);
  expect(m.records('b000000002')).toBe(false);
  m.publisherLeft('s1');
  expect(m.admittedBroadcast('s1')).toBeNull();
  expect(m.records('b000000001')).toBe(false); // paused: the store's live event must start it again
});
