// The store wrapper behind `wxlive_limit_refusals_total{reason="storage_full"}`: every write the disk refuses is
// counted once and still reaches the caller; other failures and plain values pass through untouched.
import { StorageFull } from '../../server/errors';
import { countingFullDisk } from '../../server/rooms/counting-full-disk';
import type { RoomStore } from '../../server/store/room-store';

class FakeStore {
  readonly name = 'fake';
  calls: unknown[][] = [];
  async insert(...args: unknown[]) { this.calls.push(args); throw new StorageFull('disk full'); }
  async get(id: string) { this.calls.push([id]); return this.name === 'fake' ? { id } : null; }
  async delete() { throw new Error('locked'); }
}

test('a full disk is counted and rethrown; other errors are not counted; results, arguments and `this` pass through', async () => {
  const raw = new FakeStore();
  let full = 0;
  const store = countingFullDisk(raw as unknown as RoomStore, () => full++);
  await expect(store.insert({ id: 'r' } as never, {})).rejects.toBeInstanceOf(StorageFull);
  expect(full).toBe(1);
  expect(raw.calls).toEqual([[{ id: 'r' }, {}]]);
  await expect(store.delete('r')).rejects.toThrow('locked');
  expect(full).toBe(1);
  await expect(store.get('abc')).resolves.toEqual({ id: 'abc' }); // `this` is the real store (its name is read)
  expect((store as unknown as FakeStore).name).toBe('fake');
  expect(full).toBe(1);
});
