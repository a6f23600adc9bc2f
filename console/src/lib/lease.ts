// A claim is a lease (15 minutes by default). While the case page is open the console renews it well before it ends:
// at half the remaining time, but never later than two minutes before the end and never sooner than ten seconds from
// now (so a clock skew or a very short lease cannot turn into a busy loop). A failed renewal is retried sooner.

export const minDelayMs = 10_000;
export const safetyMarginMs = 120_000;
export const retryDelayMs = 15_000;

export function renewalDelay(expiresAt: Date | string, now: Date = new Date()): number {
  const remaining = new Date(expiresAt).getTime() - now.getTime();
  if (!Number.isFinite(remaining) || remaining <= 0) {
    return 0;
  }
  const half = remaining / 2;
  const beforeMargin = remaining - safetyMarginMs;
  const delay = Math.min(half, Math.max(beforeMargin, half / 2));
  return Math.max(Math.min(minDelayMs, remaining / 2), Math.round(delay));
}

/** "剩余 12 分 05 秒" for the lease badge; "已过期" once it ended. */
export function remainingLabel(expiresAt: Date | string, now: Date = new Date()): string {
  const ms = new Date(expiresAt).getTime() - now.getTime();
  if (ms <= 0) {
    return "已过期";
  }
  const total = Math.floor(ms / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `剩余 ${minutes} 分 ${seconds.toString().padStart(2, "0")} 秒`;
}

export interface LeaseTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): Date;
}

const realTimers: LeaseTimers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
  now: () => new Date(),
};

/**
 * Keeps one lease alive: call `start(expiresAt)` after claiming; each renewal answers the new expiry. `stop()` when
 * the page closes or the claim is released. A renewal refused by the API (someone else took the case after it
 * expired) stops the keeper and reports the problem.
 */
export class LeaseKeeper {
  private handle: unknown = null;
  private running = false;

  constructor(
    private readonly renew: () => Promise<string | null>,
    private readonly onLost: (error: unknown) => void,
    private readonly timers: LeaseTimers = realTimers,
  ) {}

  get active(): boolean {
    return this.running;
  }

  start(expiresAt: string): void {
    this.running = true;
    this.schedule(renewalDelay(expiresAt, this.timers.now()));
  }

  stop(): void {
    this.running = false;
    if (this.handle !== null) {
      this.timers.clearTimeout(this.handle);
      this.handle = null;
    }
  }

  private schedule(delay: number): void {
    if (this.handle !== null) {
      this.timers.clearTimeout(this.handle);
    }
    this.handle = this.timers.setTimeout(() => void this.tick(), delay);
  }

  private async tick(): Promise<void> {
    this.handle = null;
    if (!this.running) {
      return;
    }
    try {
      const next = await this.renew();
      if (!this.running) {
        return;
      }
      if (next === null) {
        this.stop();
        return;
      }
      this.schedule(renewalDelay(next, this.timers.now()));
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status !== undefined && status >= 400 && status < 500) {
        this.stop();
        this.onLost(error);
        return;
      }
      // The network or the server hiccupped: try again soon, the lease has time left.
      this.schedule(retryDelayMs);
    }
  }
}
