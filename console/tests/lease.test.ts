import { describe, expect, it } from "vitest";
import { LeaseKeeper, remainingLabel, renewalDelay, retryDelayMs, type LeaseTimers } from "../src/lib/lease";

const at = (ms: number) => new Date(Date.UTC(2026, 4, 1, 1, 0, 0) + ms);
const minutes = (n: number) => n * 60_000;

describe("lease renewal timing", () => {
  it("renews a fresh 15-minute lease at half its time", () => {
    expect(renewalDelay(at(minutes(15)), at(0))).toBe(minutes(7.5));
  });

  it("keeps two minutes in hand on a short lease", () => {
    // 3 minutes left: half would be 90 s, leaving 90 s; renew at 60 s so 2 minutes remain.
    expect(renewalDelay(at(minutes(3)), at(0))).toBe(60_000);
  });

  it("never busy-loops and renews at once when the lease has ended", () => {
    expect(renewalDelay(at(30_000), at(0))).toBe(10_000);
    expect(renewalDelay(at(4_000), at(0))).toBe(2_000);
    expect(renewalDelay(at(0), at(0))).toBe(0);
    expect(renewalDelay(at(-5_000), at(0))).toBe(0);
  });

  it("labels the remaining time in Chinese", () => {
    expect(remainingLabel(at(minutes(12) + 5_000), at(0))).toBe("剩余 12 分 05 秒");
    expect(remainingLabel(at(0), at(0))).toBe("已过期");
  });
});

class FakeTimers implements LeaseTimers {
  clock = at(0);
  pending: { due: number; callback: () => void; id: number }[] = [];
  private nextId = 1;
  setTimeout(callback: () => void, ms: number) {
    const id = this.nextId++;
    this.pending.push({ due: this.clock.getTime() + ms, callback, id });
    return id;
  }
  clearTimeout(handle: unknown) {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }
  now() {
    return this.clock;
  }
  async runNext() {
    this.pending.sort((a, b) => a.due - b.due);
    const next = this.pending.shift()!;
    this.clock = new Date(next.due);
    next.callback();
    await new Promise((resolve) => setTimeout(resolve, 0));
    return next.due;
  }
}

describe("LeaseKeeper", () => {
  it("renews before every expiry and reschedules from the answer", async () => {
    const timers = new FakeTimers();
    const renewedAt: number[] = [];
    const keeper = new LeaseKeeper(async () => {
      renewedAt.push(timers.now().getTime());
      return new Date(timers.now().getTime() + minutes(15)).toISOString();
    }, () => {}, timers);
    keeper.start(at(minutes(15)).toISOString());
    await timers.runNext();
    await timers.runNext();
    expect(renewedAt).toEqual([at(minutes(7.5)).getTime(), at(minutes(15)).getTime()]);
    expect(keeper.active).toBe(true);
    keeper.stop();
    expect(timers.pending).toHaveLength(0);
  });

  it("stops and reports when the API refuses the renewal", async () => {
    const timers = new FakeTimers();
    const lost: unknown[] = [];
    const refusal = Object.assign(new Error("您没有持有该案件的认领。"), { status: 409 });
    const keeper = new LeaseKeeper(async () => Promise.reject(refusal), (e) => lost.push(e), timers);
    keeper.start(at(minutes(15)).toISOString());
    await timers.runNext();
    expect(lost).toEqual([refusal]);
    expect(keeper.active).toBe(false);
    expect(timers.pending).toHaveLength(0);
  });

  it("retries soon after a network failure", async () => {
    const timers = new FakeTimers();
    let calls = 0;
    const keeper = new LeaseKeeper(async () => {
      calls++;
      if (calls === 1) throw new TypeError("fetch failed");
      return new Date(timers.now().getTime() + minutes(15)).toISOString();
    }, () => {}, timers);
    keeper.start(at(minutes(15)).toISOString());
    const first = await timers.runNext();
    const second = await timers.runNext();
    expect(second - first).toBe(retryDelayMs);
    expect(calls).toBe(2);
    expect(keeper.active).toBe(true);
    keeper.stop();
  });
});
