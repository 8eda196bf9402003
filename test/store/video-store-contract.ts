// The VideoStore contract: every implementation (SQLite, CloudBase) must pass it.
import type { VideoRecord, VideoStore } from '../../server/store/video-store';
import type { StoreHandles } from './store-handles';

export function videoRecord(n: number, over: Partial<VideoRecord> = {}): VideoRecord {
  return {
    id: `v${String(n).padStart(4, '0')}`, name: `clip-${n}.mp4`, title: `clip ${n}`, public: true, format: 'mp4',
    durationS: 3.5, sizeBytes: 1000 + n, video: { codec: 'h264', width: 320, height: 240 },
    audio: { codec: 'aac', sampleRate: 44100, channels: 2 }, createdAt: 1_700_000_000_000 + n * 1000, mtimeMs: 5 + n, ...over,
  };
}

export function runVideoStoreContract(label: string, open: () => Promise<StoreHandles<VideoStore>>): void {
  describe(`VideoStore contract: ${label}`, () => {
    let h: StoreHandles<VideoStore>;
    beforeEach(async () => { h = await open(); });
    afterEach(async () => { await h.close(); });

    test('insert, get and byName round-trip every field; a second video of that name is refused', async () => {
      const v = videoRecord(1, { audio: null, public: false });
      expect(await h.store.insert(v)).toBe(true);
      expect(await h.store.get(v.id)).toEqual(v);
      expect(await h.store.byName(v.name)).toEqual(v);
      expect(await h.store.insert(videoRecord(2, { name: v.name }))).toBe(false);
      expect(await h.store.get('v0002')).toBeNull();
      expect(await h.store.byName('nope.mp4')).toBeNull();
    });

    test('two handles adding the same file at once make one video', async () => {
      const other = await h.second();
      const results = await Promise.all([h.store.insert(videoRecord(1)), other.insert(videoRecord(2, { name: 'clip-1.mp4' }))]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await h.store.all()).toHaveLength(1);
    });

    test('list: newest first, keyset pages, public only when asked', async () => {
      for (let n = 1; n <= 5; n++) await h.store.insert(videoRecord(n, { public: n !== 4 }));
      const first = await h.store.list({ publicOnly: true, limit: 2 });
      expect(first.map((v) => v.id)).toEqual(['v0005', 'v0003']);
      const next = await h.store.list({ publicOnly: true, limit: 2, after: { createdAt: first[1]!.createdAt, id: first[1]!.id } });
      expect(next.map((v) => v.id)).toEqual(['v0002', 'v0001']);
      expect((await h.store.list({ publicOnly: false, limit: 10 })).map((v) => v.id)).toEqual(['v0005', 'v0004', 'v0003', 'v0002', 'v0001']);
      expect(await h.store.all()).toHaveLength(5);
    });

    test('update changes only what it names; remove returns the record once', async () => {
      await h.store.insert(videoRecord(1));
      const u = await h.store.update('v0001', { title: 'new', public: false, sizeBytes: 9, video: null });
      expect(u).toEqual({ ...videoRecord(1), title: 'new', public: false, sizeBytes: 9, video: null });
      expect(await h.store.update('v9999', { title: 'x' })).toBeNull();
      expect(await h.store.remove('v0001')).toEqual(u);
      expect(await h.store.remove('v0001')).toBeNull();
      expect(await h.store.byName('clip-1.mp4')).toBeNull();
      expect(await h.store.insert(videoRecord(3, { name: 'clip-1.mp4' }))).toBe(true); // the name is free again
    });

    test('replay visibility per room, last write wins', async () => {
      expect((await h.store.replayVisibility('r1')).size).toBe(0);
      await h.store.setReplayPublic('r1', 'b1', false);
      await h.store.setReplayPublic('r1', 'b2', false);
      await h.store.setReplayPublic('r1', 'b2', true);
      await h.store.setReplayPublic('r2', 'b1', true);
      expect([...(await h.store.replayVisibility('r1'))].sort()).toEqual([['b1', false], ['b2', true]]);
    });
  });
}
