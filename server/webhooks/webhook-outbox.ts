// The webhook outbox: an event becomes one stored row per WEBHOOK_URL; rows due are claimed (with a lease, so
// one node of many sends each), POSTed signed, and settled as delivered, retried later with exponential backoff,
// or failed once the retry window (24 h) is over. A restart picks up whatever is still pending.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { newMessageId } from '../chat/message-ids';
import type { DeliveryOutcome, DeliveryRecord, WebhookStore } from '../store/webhook-store';
import { postWebhook, type WebhookPost } from './webhook-post';
import { SIGNATURE_HEADER, signatureHeader } from './webhook-signature';

/** What a receiver gets as the JSON body. `id` stays the same on every retry: receivers dedupe by it. */
export interface WebhookEvent<T = unknown> { id: string; type: string; at: string; data: T }

/** a body larger than this is sent with its data replaced by `{truncated: true}` */
export const BODY_MAX_BYTES = 64 * 1024;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** 10 s, 20 s, 40 s … doubling, at most an hour between attempts */
export const defaultBackoff = (attempts: number): number => Math.min(10_000 * 2 ** (attempts - 1), HOUR);

export interface WebhookOutboxOptions {
  store: WebhookStore;
  urls: readonly string[];
  secret: string;
  log: Logger;
  post?: WebhookPost;
  now?: () => number;
  /** the wait before attempt `attempts + 1`, after `attempts` failed ones */
  backoffMs?: (attempts: number) => number;
  /** an attempt with no answer by then counts as failed (default 10 s) */
  timeoutMs?: number;
  /** how long after the event attempts go on (default 24 h) */
  retryForMs?: number;
  /** attempts under way at once on this node (default 8) */
  maxInFlight?: number;
  /** how often due rows are looked for (default 1 s) */
  pollMs?: number;
  /** how long a claimed row is this node's; longer than an attempt (default 60 s) */
  leaseMs?: number;
  /** finished rows kept for the deliveries view (default 1000; older ones are pruned) */
  keep?: number;
}

export class WebhookOutbox {
  /** this node, as the lease owner */
  readonly nodeId = randomBytes(6).toString('hex');
  private readonly now: () => number;
  private readonly post: WebhookPost;
  private readonly backoff: (attempts: number) => number;
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private claiming = false;
  private claimAgain = false;
  private stopped = false;

  constructor(private readonly opts: WebhookOutboxOptions) {
    this.now = opts.now ?? Date.now;
    this.post = opts.post ?? postWebhook;
    this.backoff = opts.backoffMs ?? defaultBackoff;
  }

  get enabled(): boolean {
    return this.opts.urls.length > 0;
  }

  /** Stores the event for every URL and starts sending it; resolves the event (null when no URL is set). */
  async emit<T>(type: string, data: T): Promise<WebhookEvent<T> | null> {
    if (!this.enabled || this.stopped) return null;
    const at = this.now();
    const event: WebhookEvent<T> = { id: `evt_${newMessageId(at)}`, type, at: new Date(at).toISOString(), data };
    let body = JSON.stringify(event);
    if (Buffer.byteLength(body) > BODY_MAX_BYTES) body = JSON.stringify({ ...event, data: { truncated: true } });
    const rows: DeliveryRecord[] = this.opts.urls.map((url, i) => ({
      id: `${event.id}.${i}`, eventId: event.id, type, url, body, createdAt: at, state: 'pending', attempts: 0, nextAt: at,
      leaseOwner: null, leaseUntil: null, lastStatus: null, lastError: null,
    }));
    await this.opts.store.enqueue(rows);
    this.kick();
    this.opts.store.prune(this.opts.keep ?? 1000).catch((err) => this.opts.log.error({ err }, 'pruning webhook deliveries failed'));
    return event;
  }

  /** Looks for due rows every pollMs (pending ones left by an earlier run included). */
  start(): void {
    if (!this.enabled || this.timer) return;
    this.timer = setInterval(() => this.kick(), this.opts.pollMs ?? 1000);
    this.timer.unref();
    this.kick();
  }

  /** Stops claiming and waits for the attempts under way (each settles its row). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    while (this.inFlight.size > 0 || this.claiming) await Promise.all([...this.inFlight, new Promise((r) => setTimeout(r, 10))]);
  }

  /** Claims as many due rows as there is room for, and sends them. */
  kick(): void {
    if (this.stopped) return;
    if (this.claiming) { this.claimAgain = true; return; }
    const room = (this.opts.maxInFlight ?? 8) - this.inFlight.size;
    if (room <= 0) return;
    this.claiming = true;
    const now = this.now();
    this.opts.store.claimDue(now, this.nodeId, now + (this.opts.leaseMs ?? MINUTE), room).then((rows) => {
      for (const row of rows) {
        const attempt = this.attempt(row).finally(() => {
          this.inFlight.delete(attempt);
          this.kick();
        });
        this.inFlight.add(attempt);
      }
    }, (err) => this.opts.log.error({ err }, 'claiming webhook deliveries failed')).finally(() => {
      this.claiming = false;
      if (this.claimAgain) { this.claimAgain = false; this.kick(); }
    });
  }

  private async attempt(row: DeliveryRecord): Promise<void> {
    const t = Math.floor(this.now() / 1000);
    const headers = { [SIGNATURE_HEADER]: signatureHeader(this.opts.secret, t, row.body), 'X-Wxlive-Event': row.type };
    let lastStatus: number | null = null;
    let lastError: string | null = null;
    try {
      const res = await this.post(row.url, row.body, headers, this.opts.timeoutMs ?? 10_000);
      lastStatus = res.status;
      if (res.status < 200 || res.status > 299) lastError = `HTTP ${res.status}${res.excerpt ? `: ${res.excerpt.slice(0, 200)}` : ''}`;
    } catch (err) {
      lastError = (err as Error).message.slice(0, 200);
    }
    const attempts = row.attempts + 1;
    const now = this.now();
    let outcome: DeliveryOutcome;
    if (lastError === null) {
      outcome = { state: 'delivered', attempts, nextAt: now, lastStatus, lastError };
    } else {
      const next = now + this.backoff(attempts);
      const over = next > row.createdAt + (this.opts.retryForMs ?? 24 * HOUR);
      outcome = { state: over ? 'failed' : 'pending', attempts, nextAt: over ? now : next, lastStatus, lastError };
      this.opts.log.warn({ eventId: row.eventId, type: row.type, url: row.url, attempts, lastError, gaveUp: over }, 'webhook delivery failed');
    }
    try {
      // false: the lease ran out and another node took the row; its attempt counts instead
      await this.opts.store.settle(row.id, this.nodeId, outcome);
    } catch (err) {
      this.opts.log.error({ err, id: row.id }, 'recording a webhook attempt failed');
    }
  }
}
