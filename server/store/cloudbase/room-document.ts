// RoomRecord ↔ CloudBase document. The room id is the document's _id; every field is always written
// (null rather than absent) so equality conditions such as `disconnectedAt: null` mean one thing.
import type { RoomRecord } from '../room-store';

export type RoomDocument = Omit<RoomRecord, 'id'> & { _id: string };

export function toDocument(r: RoomRecord): RoomDocument {
  return {
    _id: r.id, title: r.title, cover: r.cover, hostId: r.hostId, status: r.status, createdAt: r.createdAt,
    startedAt: r.startedAt, endedAt: r.endedAt, broadcastId: r.broadcastId, disconnectedAt: r.disconnectedAt,
    pushGeneration: r.pushGeneration, pushIssuedAt: r.pushIssuedAt,
  };
}

const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

export function fromDocument(d: Partial<RoomDocument> & { _id: string }): RoomRecord {
  return {
    id: d._id, title: d.title ?? '', cover: orNull(d.cover), hostId: d.hostId ?? '', status: d.status ?? 'ended',
    createdAt: d.createdAt ?? 0, startedAt: orNull(d.startedAt), endedAt: orNull(d.endedAt),
    broadcastId: orNull(d.broadcastId), disconnectedAt: orNull(d.disconnectedAt),
    // documents written before push generations existed: generation 0, issued at creation
    pushGeneration: d.pushGeneration ?? 0, pushIssuedAt: d.pushIssuedAt ?? d.createdAt ?? 0,
  };
}
