// A RoomStore that reports every write refused for a full disk: a 507 is a limit's refusal too (README "Limits").
import { StorageFull } from '../errors';
import type { RoomStore } from '../store/room-store';

/** The store, telling `onFull` of every write refused for a full disk (a 507 is a limit's refusal too). */
export function countingFullDisk(store: RoomStore, onFull: () => void): RoomStore {
  return new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).catch((err: unknown) => {
        if (err instanceof StorageFull) onFull();
        throw err;
      });
    },
  });
}
