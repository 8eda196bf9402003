// Types of frame-delay.js for the TypeScript tests that import it.
export declare class FrameDelays {
  constructor(now?: () => number);
  raw: number[];
  note(timestampMs: number): void;
  take(): number[];
}
export declare function addedDelays(raw: number[]): number[];
export declare function delaySummary(delays: number[]): { p50: number; p95: number; frames: number };
export declare function watchFlvDelays(url: string): { delays: FrameDelays; status: Promise<number>; close(): void };
