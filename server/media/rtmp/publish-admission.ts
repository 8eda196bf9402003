// Publish admission and the publishers' lifecycle: signature check (sync), room check (async, packets held
// meanwhile), Publish.Start or a refusal, then publishStarted/publishStopped, codec facts and input rate.
import type { Logger } from 'pino';
import { ByteRate } from './byte-rate';
import { BroadcastServerClass, Context, type BroadcastServer, type NmsSession, type RtmpSession } from './nms';
import { PublishGate } from './publish-gate';
import { PublishPace } from './publish-pace';
import { parseStreamPath, requestOf } from './stream-path';
import { StreamProbe } from './stream-probe';
import { TapSession } from './tap-session';
import type { IngestHooks, PublisherInfo, StreamRequest } from './types';

export interface AdmissionOptions {
  hooks: IngestHooks;
  log: Logger;
  timeoutMs: number;
  /** false once the ingest is stopping: refuse new publishes, call no hooks */
  active(): boolean;
  /** the consumer taps attached to a stream path (told onEnd when its publish ends) */
  tapsOf(streamPath: string): TapSession[];
  /** PUBLISH_MAX_SPEED: media seconds per wall-clock second an admitted publisher may send */
  maxSpeed: number;
  /** the publisher sends faster than that: close it (counted as a limit) */
  tooFast(session: RtmpSession, fields: Record<string, unknown>): void;
}

/** One publish attempt, from postPublish (registered in the hub) to donePublish. */
interface Publish {
  session: RtmpSession;
  req: StreamRequest;
  gate: PublishGate;
  timer: NodeJS.Timeout;
  /** the hook's verdict arrived (or we refused first) */
  decided: boolean;
  /** admitPublish said yes: publishStopped is owed when the connection goes */
  admitted: boolean;
  /** donePublish happened */
  done: boolean;
  probe: StreamProbe;
  probeTap: TapSession | null;
  rate: ByteRate;
}

export class PublishAdmission {
  private readonly publishes = new Map<string, Publish>();

  constructor(private readonly opts: AdmissionOptions) {}

  /** The hub of a stream path, created (without the NMS publish grace: rooms do their own) if absent. */
  broadcastFor(streamPath: string): BroadcastServer {
    let broadcast = Context.broadcasts.get(streamPath);
    if (!broadcast) Context.broadcasts.set(streamPath, (broadcast = new BroadcastServerClass(streamPath)));
    broadcast.publishGraceMs = 0;
    return broadcast;
  }

  /** prePublish: path and signature, synchronously; setting `refusal` keeps NMS from registering the session. */
  readonly onPrePublish = (s: NmsSession): void => {
    if (s.ip === '') return;
    const session = s as RtmpSession;
    const name = parseStreamPath(session.streamPath);
    if (!this.opts.active()) session.refusal = 'shutting_down';
    else if (!name) session.refusal = 'bad_stream_path';
    else {
      session.broadcast.publishGraceMs = 0;
      session.refusal = this.ask('checkPublish', () => this.opts.hooks.checkPublish(requestOf(session, name)));
    }
    if (session.refusal) this.opts.log.info({ streamPath: session.streamPath, reason: session.refusal }, 'RTMP publish refused');
  };

  /** postPublish: the session holds the hub's publisher slot; hold its packets until the room check answers. */
  readonly onPostPublish = (s: NmsSession): void => {
    if (s.ip === '') return;
    const session = s as RtmpSession;
    const req = requestOf(session, parseStreamPath(session.streamPath)!);
    const pub: Publish = {
      session, req, decided: false, admitted: false, done: false, probe: new StreamProbe(), probeTap: null, rate: new ByteRate(),
      timer: setTimeout(() => this.refuse(pub, 'admission_timeout'), this.opts.timeoutMs),
      gate: new PublishGate({
        forward: (packet) => session.broadcast.broadcastMessage(packet),
        started: () => this.started(pub),
        overflow: () => this.refuse(pub, 'admission_backlog'),
      }),
    };
    pub.timer.unref();
    session.packetGate = pub.gate;
    this.publishes.set(session.id, pub);
    let verdict: Promise<string | null>;
    try {
      verdict = Promise.resolve(this.opts.hooks.admitPublish(req));
    } catch (err) {
      verdict = Promise.reject(err);
    }
    verdict.then(
      (reason) => this.decide(pub, reason),
      (err: unknown) => {
        this.opts.log.error({ err, roomId: req.roomId }, 'admitPublish failed');
        this.decide(pub, 'internal_error');
      },
    );
  };

  /** donePublish: with no NMS grace this runs in the socket's close, so the path is free for the next publisher. */
  readonly onDonePublish = (s: NmsSession): void => {
    const pub = this.publishes.get(s.id);
    if (!pub) return;
    this.publishes.delete(s.id);
    pub.done = true;
    clearTimeout(pub.timer);
    pub.gate.shut();
    pub.probeTap?.detach();
    if (!pub.admitted) return;
    for (const tap of this.opts.tapsOf(s.streamPath)) tap.end();
    this.notify('publishStopped', () => this.opts.hooks.publishStopped(pub.req));
  };

  /** The stream path has an admitted publisher. */
  isLive(streamPath: string): boolean {
    const s = Context.broadcasts.get(streamPath)?.publisher;
    return s ? this.publishes.get(s.id)?.admitted === true : false;
  }

  publisherInfo(streamPath: string): PublisherInfo | null {
    const s = Context.broadcasts.get(streamPath)?.publisher;
    const pub = s ? this.publishes.get(s.id) : undefined;
    if (!s || !pub || !pub.admitted) return null;
    const { video, audio } = pub.probe;
    return {
      address: pub.req.address,
      since: s.createTime,
      video: video && {
        codec: video.codec,
        width: video.width || num(s.videoWidth),
        height: video.height || num(s.videoHeight),
        fps: pub.probe.fps || num(s.videoFramerate),
      },
      audio: audio && { ...audio, sampleRate: audio.sampleRate || num(s.audioSamplerate) },
      bytesIn: s.inBytes,
      bitrateIn: pub.rate.bitsPerSecond,
    };
  }

  /** Once a second: input byte counters of admitted publishers. */
  sampleRates(): void {
    for (const pub of this.publishes.values()) if (pub.admitted) pub.rate.sample(pub.session.inBytes);
  }

  /** Run a synchronous hook; a throwing hook refuses (and is logged) rather than breaking the session. */
  ask(name: string, hook: () => string | null): string | null {
    try {
      const reason = hook();
      // an empty reason would read as "no refusal" to NMS's truthiness test
      return reason === null ? null : reason || 'refused';
    } catch (err) {
      this.opts.log.error({ err, hook: name }, 'RTMP admission hook threw');
      return 'internal_error';
    }
  }

  /** Run a notification hook; its failure is logged, never thrown into a session's data path. */
  notify(name: string, hook: () => void): void {
    if (!this.opts.active()) return;
    try {
      hook();
    } catch (err) {
      this.opts.log.error({ err, hook: name }, 'RTMP ingest hook threw');
    }
  }

  private decide(pub: Publish, reason: string | null): void {
    if (reason === null) pub.admitted = true;
    if (pub.decided) {
      // we refused first (timeout, backlog): the hook admitted a publisher that is gone, so release it
      if (pub.admitted && pub.done) this.notify('publishStopped', () => this.opts.hooks.publishStopped(pub.req));
      return;
    }
    pub.decided = true;
    clearTimeout(pub.timer);
    if (pub.done || pub.session.closing) {
      pub.gate.shut();
      if (pub.admitted && pub.done) this.notify('publishStopped', () => this.opts.hooks.publishStopped(pub.req));
      return;
    }
    if (reason !== null) return this.refuse(pub, reason);
    this.opts.log.info({ roomId: pub.req.roomId, address: pub.req.address }, 'RTMP publish admitted');
    pub.session.rtmp.respondPublish();
    // taps that carried an earlier publish get a fresh FLV header before this one's first tag
    for (const tap of this.opts.tapsOf(pub.session.streamPath)) tap.newPublish();
    const pace = new PublishPace({
      maxSpeed: this.opts.maxSpeed,
      tooFast: (mediaMs, wallMs) => this.opts.tooFast(pub.session, { roomId: pub.req.roomId, mediaMs, wallMs, maxSpeed: this.opts.maxSpeed }),
    });
    const probe = pub.probe;
    pub.probeTap = new TapSession(pub.session.broadcast, { onTag: (tag) => { probe.onTag(tag); pace.onTag(tag); } }, () => undefined);
    pub.probeTap.attach();
    try {
      pub.gate.open();
    } catch (err) {
      this.opts.log.warn({ err, roomId: pub.req.roomId }, 'RTMP publisher sent a malformed packet; closing');
      pub.session.close();
    }
  }

  private refuse(pub: Publish, reason: string): void {
    clearTimeout(pub.timer);
    pub.decided = true;
    pub.gate.shut();
    if (pub.session.closing) return;
    this.opts.log.info({ roomId: pub.req.roomId, address: pub.req.address, reason }, 'RTMP publish refused');
    pub.session.refuse('NetStream.Publish.BadName', reason);
  }

  private started(pub: Publish): void {
    pub.session.packetGate = null;
    this.notify('publishStarted', () => this.opts.hooks.publishStarted(pub.req));
  }
}

/** A metadata field as a non-negative number (publishers put anything in onMetaData). */
function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
}
