// The value axis of the console's bar charts: round steps (1, 2, 5 × 10ⁿ), about four of them, and a top tick at or
// above the largest bar, so no bar (nor the value written over it) rises past the plot and out of the picture.

export function niceStep(raw: number): number {
  const power = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
  const n = raw / power;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * power;
}

/** Ticks from 0 in round steps up to the first at or above `max` (at least 1, for an empty chart). */
export function axisTicks(max: number): number[] {
  const top = Math.max(1, max);
  const step = niceStep(top / 4);
  const ticks: number[] = [];
  for (let i = 0; ; i++) {
    const value = Math.round(i * step * 100) / 100;
    ticks.push(value);
    if (value >= top) return ticks;
  }
}
