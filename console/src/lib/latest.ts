// A view that reloads on every filter change can have two requests in flight; answers arrive in any order, and the
// slower, older one must not overwrite the newer one's rows (the table would show another filter's cases).

export interface LatestOnly {
  /** Starts a load; the function it returns says whether that load is still the newest one. */
  begin(): () => boolean;
}

export function latestOnly(): LatestOnly {
  let newest = 0;
  return {
    begin() {
      const mine = ++newest;
      return () => mine === newest;
    },
  };
}
