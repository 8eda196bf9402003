// The connection caps are only as good as the process's open-files limit: past it, Node can accept no socket at
// all and every client is refused alike. Startup says so when `ulimit -n` is below what the caps may hold.
import { readFileSync } from 'node:fs';
import type { Config } from './config';

/** Descriptors besides client sockets: listeners, SQLite, logs, ffprobe-free file reads, libuv's own. */
const BASE_FILES = 64;

/** The soft "Max open files" of this process (Linux /proc), or null where it cannot be read. */
export function openFilesLimit(limitsText?: string): number | null {
  let text = limitsText;
  if (text === undefined) {
    try { text = readFileSync('/proc/self/limits', 'utf8'); } catch { return null; }
  }
  const m = /^Max open files\s+(\d+|unlimited)\s/m.exec(text);
  if (!m) return null;
  return m[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(m[1]);
}

type Caps = Pick<Config, 'HTTP_MAX_CONNECTIONS' | 'RTMP_MAX_CONNECTIONS' | 'FILE_STREAMS_MAX'>;

/** What the caps may hold open at once: HTTP and RTMP connections (RTMP closes new sockets ~10 % over), files sent. */
export function filesTheCapsMayHold(c: Caps): number {
  return c.HTTP_MAX_CONNECTIONS + Math.ceil(c.RTMP_MAX_CONNECTIONS * 1.1) + c.FILE_STREAMS_MAX + BASE_FILES;
}

/** The warning to print when the limit is below what the caps may hold, else null. */
export function openFilesWarning(limit: number | null, c: Caps): string | null {
  const need = filesTheCapsMayHold(c);
  if (limit === null || limit >= need) return null;
  return `open files limit ${limit} is below the ${need} the connection caps may hold: raise it (ulimit -n ${need}, `
    + 'LimitNOFILE= in systemd, --ulimit nofile= in docker) or lower HTTP_MAX_CONNECTIONS / RTMP_MAX_CONNECTIONS.';
}
