// This process's CPU share between two readings (process.cpuUsage deltas over wall time) and its resident memory.

export interface ProcessProbe {
  /** microseconds of user + system CPU time so far */
  cpuMicros(): number;
  rssBytes(): number;
}

export const NODE_PROCESS: ProcessProbe = {
  cpuMicros: () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  },
  rssBytes: () => process.memoryUsage.rss(),
};

export class CpuMeter {
  private last: { cpu: number; at: number };

  constructor(private readonly probe: ProcessProbe, now: number) {
    this.last = { cpu: probe.cpuMicros(), at: now };
  }

  /** % of one core used since the previous call (or since construction) */
  percent(now: number): number {
    const cpu = this.probe.cpuMicros();
    const wallMicros = (now - this.last.at) * 1000;
    const used = cpu - this.last.cpu;
    this.last = { cpu, at: now };
    return wallMicros > 0 ? Math.max(0, (used / wallMicros) * 100) : 0;
  }
}
