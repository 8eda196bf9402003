// Shared pieces of the end-to-end media tests (real server, ffmpeg publishers): polling, room and play-URL
// look-ups, an HTTP-FLV viewer that parses the tags it receives, and the per-segment HLS checks.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { get, type ClientRequest, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import * as HLS from 'hls-parser';
import type { PlayUrls, Room } from '../../../typings/api';
import { call } from '../../helpers/http';

export { sleep, until, within } from '../../helpers/wait';
import { sleep, until } from '../../helpers/wait';

export async function getRoom(base: string, id: string): Promise<Room> {
  const r = await call(base, 'GET', `/api/rooms/${id}`);
  if (r.status !== 200) throw new Error(`GET room ${id}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.room as Room;
}

export async function playUrls(base: string, id: string): Promise<PlayUrls> {
  const r = await call(base, 'GET', `/api/rooms/${id}/play`);
  if (r.status !== 200) throw new Error(`GET play ${id}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.play as PlayUrls;
}

/** Waits for the room's status; returns how long it took. */
export async function untilStatus(base: string, id: string, status: Room['status'], timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  await until(async () => (await getRoom(base, id)).status === status, timeoutMs, `room ${id} to be ${status}`);
  return Date.now() - t0;
}

export interface FlvTag { type: number; timestamp: number; body: Buffer }

/** An HTTP-FLV viewer: counts bytes and parses tags (a second FLV header mid-stream marks a new publish). */
export class FlvWatcher {
  bytes = 0;
  headers = 0;
  readonly tags: FlvTag[] = [];
  ended = false;
  private pending = Buffer.alloc(0);
  readonly closed: Promise<void>;

  private constructor(readonly req: ClientRequest, readonly res: IncomingMessage) {
    res.on('data', (d: Buffer) => {
      this.bytes += d.length;
      this.pending = Buffer.concat([this.pending, d]);
      this.parse();
    });
    this.closed = new Promise((resolve) => {
      const done = () => { this.ended = true; resolve(); };
      res.once('close', done);
      res.once('error', done);
    });
  }

  /** Opens the URL; resolves on the response head (any status). */
  static open(url: string): Promise<FlvWatcher> {
    return new Promise((resolve, reject) => {
      const req = get(url, (res) => {
        req.setTimeout(0); // the head came: a viewer of an idle room may then wait long for its first tag
        resolve(new FlvWatcher(req, res));
      });
      req.on('error', reject);
      req.setTimeout(15_000, () => req.destroy(new Error('FLV watcher: no response')));
    });
  }

  get status(): number {
    return this.res.statusCode ?? 0;
  }

  /** Audio and video tags received. */
  media(): FlvTag[] {
    return this.tags.filter((t) => t.type === 8 || t.type === 9);
  }

  close(): void {
    this.req.destroy();
  }

  private parse(): void {
    for (;;) {
      const p = this.pending;
      if (p.length >= 3 && p.subarray(0, 3).toString('latin1') === 'FLV') {
        if (p.length < 13) return;
        this.headers++;
        this.pending = p.subarray(13);
        continue;
      }
      if (p.length < 11) return;
      const size = p.readUIntBE(1, 3);
      if (p.length < 11 + size + 4) return;
      const timestamp = p.readUIntBE(4, 3) + p[7]! * 0x1000000;
      this.tags.push({ type: p[0]!, timestamp, body: Buffer.from(p.subarray(11, 11 + size)) });
      this.pending = p.subarray(11 + size + 4);
    }
  }
}

/** The `width` of an onMetaData script tag (AMF0: key length, "width", number marker 0x00, big-endian double), or null. */
export function metadataWidth(tag: FlvTag): number | null {
  if (tag.type !== 18) return null;
  const key = Buffer.from([0x00, 0x05, ...Buffer.from('width'), 0x00]);
  const at = tag.body.indexOf(key);
  return at >= 0 && at + key.length + 8 <= tag.body.length ? tag.body.readDoubleBE(at + key.length) : null;
}

/** What a viewer's stream says about its publishers: FLV headers, metadata widths, distinct AVC sequence headers. */
export function publishersSeen(w: FlvWatcher): { headers: number; widths: Array<number | null>; avcConfigs: number } {
  const avc = w.tags.filter((t) => t.type === 9 && t.body[1] === 0).map((t) => t.body.toString('hex'));
  return { headers: w.headers, widths: w.tags.filter((t) => t.type === 18).map(metadataWidth), avcConfigs: new Set(avc).size };
}

export interface ProbePacket { codec_type: 'video' | 'audio'; dts?: number; dts_time?: string; flags: string }
export interface Probe {
  streams: { codec_type: string; codec_name: string; width?: number; height?: number; sample_rate?: string }[];
  packets: ProbePacket[];
  format: { duration?: string; format_name: string; nb_streams: number };
}

/** ffprobe -show_packets -show_streams -show_format on a file or URL. */
export function probe(target: string, timeoutMs = 20_000): Promise<Probe> {
  return new Promise((resolve, reject) => {
    execFile('ffprobe', ['-v', 'error', '-show_packets', '-show_streams', '-show_format', '-of', 'json', target],
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`ffprobe ${target}: ${err.message} ${stderr}`));
        const parsed = JSON.parse(stdout) as Probe;
        resolve({ ...parsed, packets: parsed.packets ?? [], streams: parsed.streams ?? [] });
      });
  });
}

/**
 * What is wrong with one HLS segment ([] when nothing): its streams, a keyframe first (when it has video),
 * DTS strictly increasing per stream, and ffprobe's duration within 0.1 s of the EXTINF.
 */
export function segmentProblems(name: string, p: Probe, extinf: number, kinds: string[]): string[] {
  const problems: string[] = [];
  const got = p.streams.map((s) => s.codec_type).sort();
  if (got.join() !== [...kinds].sort().join()) problems.push(`${name}: streams ${got.join()} (want ${kinds.join()})`);
  const firstVideo = p.packets.find((k) => k.codec_type === 'video');
  if (kinds.includes('video') && !firstVideo?.flags.startsWith('K')) problems.push(`${name}: first video packet is not a keyframe (${firstVideo?.flags})`);
  for (const kind of ['video', 'audio']) {
    const dts = p.packets.filter((k) => k.codec_type === kind).map((k) => k.dts!);
    const bad = dts.findIndex((d, i) => i > 0 && !(d > dts[i - 1]!));
    if (bad > 0) problems.push(`${name}: ${kind} DTS ${dts[bad - 1]} then ${dts[bad]}`);
  }
  const duration = Number(p.format.duration);
  if (!(Math.abs(duration - extinf) <= 0.1)) problems.push(`${name}: EXTINF ${extinf} but ffprobe measures ${p.format.duration}`);
  return problems;
}

/** Lines a capturingLogger() kept, parsed. */
export function logEntries(lines: string[]): Array<Record<string, unknown>> {
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The value of a Prometheus sample line (`name{labels} value`), or null when absent. */
export function metricValue(text: string, sample: string): number | null {
  for (const line of text.split('\n')) {
    if (line.startsWith(sample + ' ')) return Number(line.slice(sample.length + 1));
  }
  return null;
}

export interface CheckedPlaylist { list: HLS.types.MediaPlaylist; probes: Probe[]; problems: string[] }

/**
 * Parses a playlist (hls-parser, strict), downloads every listed segment into `dir` (ffprobe measures no duration
 * over a non-seekable HTTP body) and checks each with segmentProblems.
 */
export async function checkPlaylist(playlistUrl: string, text: string, dir: string, kinds: string[]): Promise<CheckedPlaylist> {
  HLS.setOptions({ strictMode: true });
  const list = HLS.parse(text) as HLS.types.MediaPlaylist;
  const probes: Probe[] = [];
  const problems: string[] = [];
  for (const seg of list.segments) {
    const res = await fetch(new URL(seg.uri, playlistUrl));
    const name = seg.uri.split('?')[0]!;
    if (res.status !== 200 || res.headers.get('content-type') !== 'video/mp2t') {
      problems.push(`${name}: HTTP ${res.status} ${res.headers.get('content-type')}`);
      continue;
    }
    const file = join(dir, name);
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const p = await probe(file);
    probes.push(p);
    problems.push(...segmentProblems(name, p, seg.duration, kinds));
  }
  return { list, probes, problems };
}
