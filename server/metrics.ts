// Prometheus metrics: one registry per server, process defaults plus wxlive's own series.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  streams: Gauge;
  viewers: Gauge<'protocol'>;
  bytesIn: Counter;
  bytesOut: Counter<'protocol'>;
  /**
   * Counts media bytes sent: a plain sum on the hot path (each segment, each FLV write), added to bytesOut when it is
   * read. prom-client's inc hashes and validates its labels on every call.
   */
  addBytesOut(protocol: string, bytes: number): void;
  publishRefusals: Counter<'reason'>;
  droppedViewers: Counter;
  /** a limit said no: a 429, a 507 or a closed connection (README "Limits"), by reason */
  limitRefusals: Counter<'reason'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  // the event-loop delay histogram samples on a timer: prom-client's 10 ms default wakes an idle server 100 times a
  // second (about half its idle CPU); 100 ms still catches the stalls that matter for media (tens of ms and up)
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  const opts = { registers: [registry] };
  const unreadOut = new Map<string, number>();
  return {
    registry,
    streams: new Gauge({ name: 'wxlive_streams', help: 'Live streams with a connected publisher', ...opts }),
    viewers: new Gauge({ name: 'wxlive_viewers', help: 'Connected viewers', labelNames: ['protocol'], ...opts }),
    bytesIn: new Counter({ name: 'wxlive_bytes_in_total', help: 'Media bytes received from publishers', ...opts }),
    bytesOut: new Counter({
      name: 'wxlive_bytes_out_total', help: 'Media bytes sent to viewers', labelNames: ['protocol'], ...opts,
      collect() {
        for (const [protocol, n] of unreadOut) if (n > 0) this.inc({ protocol }, n);
        unreadOut.clear();
      },
    }),
    addBytesOut: (protocol, bytes) => { unreadOut.set(protocol, (unreadOut.get(protocol) ?? 0) + bytes); },
    publishRefusals: new Counter({ name: 'wxlive_publish_refusals_total', help: 'Refused publish attempts', labelNames: ['reason'], ...opts }),
    droppedViewers: new Counter({ name: 'wxlive_slow_viewers_dropped_total', help: 'Viewers disconnected for falling behind', ...opts }),
    limitRefusals: new Counter({ name: 'wxlive_limit_refusals_total', help: 'Requests and connections refused by a limit', labelNames: ['reason'], ...opts }),
  };
}
