// VideoStore on the CloudBase document database: videos in `<prefix>videos` (_id = the video id; the name's
// uniqueness is the document `<prefix>video_names/<name>`, added first, so two nodes adding one file make one
// video), replay visibility in `<prefix>replay_visibility` (_id `roomId/broadcastId`).
import type { Logger } from 'pino';
import type { VideoListQuery, VideoPatch, VideoRecord, VideoStore } from '../video-store';
import { cloudbaseCall, openCloudbaseDb, type CloudbaseConnection, type CloudbaseDb } from './cloudbase-db';

export interface CloudbaseVideoStoreOptions extends CloudbaseConnection {
  prefix?: string;
}

type VideoDocument = Omit<VideoRecord, 'id'> & { _id: string };

const isDuplicate = (err: unknown) => /E11000|duplicate key/i.test(String((err as { message?: unknown } | null)?.message));
const fromDocument = ({ _id, ...d }: VideoDocument): VideoRecord => ({
  id: _id, name: d.name, title: d.title, public: d.public, format: d.format, durationS: d.durationS, sizeBytes: d.sizeBytes,
  video: d.video ?? null, audio: d.audio ?? null, createdAt: d.createdAt, mtimeMs: d.mtimeMs,
});
const PAGE = 100;

export class CloudbaseVideoStore implements VideoStore {
  private readonly db: CloudbaseDb;
  private readonly names: { videos: string; byName: string; replays: string };
  private readonly log: Logger;

  constructor(opts: CloudbaseVideoStoreOptions) {
    const p = opts.prefix ?? '';
    this.names = { videos: `${p}videos`, byName: `${p}video_names`, replays: `${p}replay_visibility` };
    this.log = opts.log;
    this.db = openCloudbaseDb(opts);
  }

  private call<T>(op: string, collection: string, fn: () => Promise<T>): Promise<T> {
    return cloudbaseCall(this.db, this.log, op, collection, fn);
  }

  private get videos() { return this.db.collection(this.names.videos); }

  async insert(v: VideoRecord): Promise<boolean> {
    const claimed = await this.call('insert', this.names.byName, async () => {
      try {
        await this.db.collection(this.names.byName).add({ _id: v.name, videoId: v.id });
        return true;
      } catch (err) {
        if (isDuplicate(err)) return false;
        throw err;
      }
    });
    if (!claimed) return false;
    const { id, ...rest } = v;
    await this.call('insert', this.names.videos, () => this.videos.add({ _id: id, ...rest }));
    return true;
  }

  async get(id: string): Promise<VideoRecord | null> {
    const res = await this.call('get', this.names.videos, () => this.videos.doc(id).get());
    const doc = (res.data as VideoDocument[] | undefined)?.[0];
    return doc ? fromDocument(doc) : null;
  }

  async byName(name: string): Promise<VideoRecord | null> {
    const res = await this.call('byName', this.names.videos, () => this.videos.where({ name }).limit(1).get());
    const doc = (res.data as VideoDocument[] | undefined)?.[0];
    return doc ? fromDocument(doc) : null;
  }

  async list(q: VideoListQuery): Promise<VideoRecord[]> {
    const _ = this.db.command;
    const conds: object[] = [];
    if (q.publicOnly) conds.push({ public: true });
    if (q.after) {
      const { createdAt, id } = q.after;
      conds.push(_.or([{ createdAt: _.lt(createdAt) }, { createdAt, _id: _.lt(id) }]));
    }
    const filtered = conds.length === 0 ? this.videos : this.videos.where(conds.length === 1 ? conds[0]! : _.and(conds));
    const res = await this.call('list', this.names.videos, () =>
      filtered.orderBy('createdAt', 'desc').orderBy('_id', 'desc').limit(q.limit).get());
    return (res.data as VideoDocument[]).map(fromDocument);
  }

  async all(): Promise<VideoRecord[]> {
    const out: VideoRecord[] = [];
    for (;;) {
      const last = out[out.length - 1];
      const page = await this.list({ publicOnly: false, limit: PAGE, after: last && { createdAt: last.createdAt, id: last.id } });
      out.push(...page);
      if (page.length < PAGE) return out;
    }
  }

  async update(id: string, patch: VideoPatch): Promise<VideoRecord | null> {
    const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    if (Object.keys(set).length > 0) await this.call('update', this.names.videos, () => this.videos.doc(id).update(set));
    return this.get(id);
  }

  async remove(id: string): Promise<VideoRecord | null> {
    const found = await this.get(id);
    if (!found) return null;
    const res = await this.call('remove', this.names.videos, () => this.videos.where({ _id: id }).remove());
    if (((res as { deleted?: number }).deleted ?? 0) === 0) return null; // another node removed it first
    await this.call('remove', this.names.byName, () => this.db.collection(this.names.byName).where({ _id: found.name }).remove());
    return found;
  }

  async replayVisibility(roomId: string): Promise<Map<string, boolean>> {
    const res = await this.call('replayVisibility', this.names.replays, () =>
      this.db.collection(this.names.replays).where({ roomId }).limit(1000).get());
    return new Map((res.data as { broadcastId: string; public: boolean }[]).map((d) => [d.broadcastId, d.public]));
  }

  async setReplayPublic(roomId: string, broadcastId: string, isPublic: boolean): Promise<void> {
    await this.call('setReplayPublic', this.names.replays, () =>
      this.db.collection(this.names.replays).doc(`${roomId}/${broadcastId}`).set({ roomId, broadcastId, public: isPublic }));
  }

  async close(): Promise<void> {
    // the SDK keeps no connection open
  }
}
