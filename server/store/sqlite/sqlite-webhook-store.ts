// WebhookStore on better-sqlite3, in the same database file as the rooms (its own connection, like a second node).
import type Database from 'better-sqlite3';
import type { DeliveryOutcome, DeliveryPosition, DeliveryRecord, DeliveryState, WebhookStore } from '../webhook-store';
import { openDatabase } from './open-database';
import { writeOrFull } from './sqlite-full';

interface Row {
  id: string; event_id: string; type: string; url: string; body: string; created_at: number; state: DeliveryState;
  attempts: number; next_at: number; lease_owner: string | null; lease_until: number | null;
  last_status: number | null; last_error: string | null;
}

const toRecord = (r: Row): DeliveryRecord => ({
  id: r.id, eventId: r.event_id, type: r.type, url: r.url, body: r.body, createdAt: r.created_at, state: r.state,
  attempts: r.attempts, nextAt: r.next_at, leaseOwner: r.lease_owner, leaseUntil: r.lease_until,
  lastStatus: r.last_status, lastError: r.last_error,
});

export class SqliteWebhookStore implements WebhookStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly due: Database.Statement;
  private readonly claim: Database.Statement;

  constructor(file: string) {
    this.db = openDatabase(file);
    this.insert = this.db.prepare(`INSERT OR IGNORE INTO webhook_deliveries
      (id, event_id, type, url, body, created_at, state, attempts, next_at, lease_owner, lease_until, last_status, last_error)
      VALUES (@id, @eventId, @type, @url, @body, @createdAt, @state, @attempts, @nextAt, @leaseOwner, @leaseUntil, @lastStatus, @lastError)`);
    this.due = this.db.prepare(`SELECT * FROM webhook_deliveries
      WHERE state = 'pending' AND next_at <= @now AND (lease_until IS NULL OR lease_until <= @now)
      ORDER BY next_at, created_at, id LIMIT @limit`);
    // the conditional update: the row is still pending and its lease still free (another process may share the file)
    this.claim = this.db.prepare(`UPDATE webhook_deliveries SET lease_owner = @owner, lease_until = @leaseUntil
      WHERE id = @id AND state = 'pending' AND (lease_until IS NULL OR lease_until <= @now) RETURNING *`);
  }

  async enqueue(rows: DeliveryRecord[]): Promise<void> {
    writeOrFull(() => this.db.transaction(() => { for (const r of rows) this.insert.run(r); }).immediate());
  }

  async claimDue(now: number, owner: string, leaseUntil: number, limit: number): Promise<DeliveryRecord[]> {
    if (limit <= 0) return [];
    return writeOrFull(() => this.db.transaction(() => {
      const claimed: DeliveryRecord[] = [];
      for (const row of this.due.all({ now, limit }) as Row[]) {
        const got = this.claim.get({ id: row.id, owner, leaseUntil, now }) as Row | undefined;
        if (got) claimed.push(toRecord(got));
      }
      return claimed;
    }).immediate());
  }

  async settle(id: string, owner: string, o: DeliveryOutcome): Promise<boolean> {
    return writeOrFull(() => this.db.prepare(`UPDATE webhook_deliveries SET state = @state, attempts = @attempts, next_at = @nextAt,
        last_status = @lastStatus, last_error = @lastError, lease_owner = NULL, lease_until = NULL
      WHERE id = @id AND lease_owner = @owner`).run({ ...o, id, owner }).changes > 0);
  }

  async list(q: { limit: number; after?: DeliveryPosition }): Promise<DeliveryRecord[]> {
    const rows = q.after
      ? this.db.prepare(`SELECT * FROM webhook_deliveries WHERE (created_at, id) < (?, ?)
          ORDER BY created_at DESC, id DESC LIMIT ?`).all(q.after.createdAt, q.after.id, q.limit)
      : this.db.prepare('SELECT * FROM webhook_deliveries ORDER BY created_at DESC, id DESC LIMIT ?').all(q.limit);
    return (rows as Row[]).map(toRecord);
  }

  async prune(keep: number): Promise<number> {
    return writeOrFull(() => this.db.prepare(`DELETE FROM webhook_deliveries WHERE state != 'pending' AND id IN (
        SELECT id FROM webhook_deliveries ORDER BY created_at DESC, id DESC LIMIT -1 OFFSET ?)`).run(keep).changes);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
