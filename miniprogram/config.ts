// The one place the API base URL and timeouts are set. Production needs an https base whose domain is
// in the mini-program's "request legal domains" (see README, "Mini-program").
export const CONFIG = {
  /** wxlive server (design.md §1: HTTP on 8080). In DevTools, tick "do not verify legal domains" for http. */
  apiBase: 'http://localhost:8080',
  requestTimeoutMs: 10_000,
  loginTimeoutMs: 10_000,
  /** how often the audience page refreshes the viewer count */
  viewerRefreshMs: 15_000,
  /** how often the audience page checks an offline host's room */
  offlinePollMs: 10_000,
} as const;
