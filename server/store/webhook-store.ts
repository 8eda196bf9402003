// WebhookStore: the persisted outbox of webhook deliveries (one row per event and URL). SQLite (default) and
// CloudBase implement it; test/store/webhook-store-contract.ts holds the suite every implementation must pass.

export type DeliveryState = 'pending' | 'delivered' | 'failed';

/** One event bound for one URL, with what its attempts so far gave. Times are epoch ms. */
export interface DeliveryRecord {
  /** `<eventId>.<n>`: the event's id and the URL's place in WEBHOOK_URLS */
  id: string;
  eventId: string;
  type: string;
  url: string;
  /** the JSON body, serialised once so every attempt sends (and signs) the same bytes */
  body: string;
  createdAt: number;
  state: DeliveryState;
  attempts: number;
  /** when the next attempt is due (pending), or when the last one was made */
  nextAt: number;
  /** the node holding the row while it delivers it, and until when; null when free */
  leaseOwner: string | null;
  leaseUntil: number | null;
  /** the receiver's last HTTP status, null when it never answered */
  lastStatus: number | null;
  lastError: string | null;
}

/** What one attempt changes on its row (the lease is always released). */
export interface DeliveryOutcome {
  state: DeliveryState;
  attempts: number;
  nextAt: number;
  lastStatus: number | null;
  lastError: string | null;
}

export interface DeliveryPosition { createdAt: number; id: string }

export interface WebhookStore {
  /** Adds new rows (a row whose id exists is left as it is). */
  enqueue(rows: DeliveryRecord[]): Promise<void>;
  /**
   * Claims up to `limit` pending rows due at `now` whose lease is free or expired, for `owner` until `leaseUntil`,
   * oldest first. Each row is claimed by a conditional update, so two nodes never claim the same row at once.
   */
  claimDue(now: number, owner: string, leaseUntil: number, limit: number): Promise<DeliveryRecord[]>;
  /** Records an attempt's outcome, only while `owner` still holds the lease; false when it lost it. */
  settle(id: string, owner: string, outcome: DeliveryOutcome): Promise<boolean>;
  /** Newest first ((createdAt, id) descending), strictly after `after` when given. */
  list(q: { limit: number; after?: DeliveryPosition }): Promise<DeliveryRecord[]>;
  /** Deletes the oldest finished (delivered or failed) rows beyond the newest `keep` rows; resolves how many. */
  prune(keep: number): Promise<number>;
  close(): Promise<void>;
}
