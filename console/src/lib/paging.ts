// Keyset paging: the queue API answers a page and an opaque `nextCursor`; there are no page numbers (they would need
// an OFFSET, slow at a million cases). Going back means remembering the cursors that led to each page.

export interface KeysetState {
  /** Cursor of each page visited so far; the first page's is null. The last entry is the current page's. */
  readonly trail: ReadonlyArray<string | null>;
  /** The cursor the server gave for the page after the current one (null on the last page). */
  readonly next: string | null;
}

export const firstPage = (): KeysetState => ({ trail: [null], next: null });

export const currentCursor = (state: KeysetState): string | null => state.trail[state.trail.length - 1] ?? null;

export const pageNumber = (state: KeysetState): number => state.trail.length;

export const hasNext = (state: KeysetState): boolean => state.next !== null;

export const hasPrevious = (state: KeysetState): boolean => state.trail.length > 1;

/** The server answered the current page: remember where the next one starts. */
export const received = (state: KeysetState, nextCursor: string | null | undefined): KeysetState => ({
  trail: state.trail,
  next: nextCursor ?? null,
});

export function forward(state: KeysetState): KeysetState {
  if (state.next === null) {
    return state;
  }
  return { trail: [...state.trail, state.next], next: null };
}

export function back(state: KeysetState): KeysetState {
  if (state.trail.length <= 1) {
    return state;
  }
  return { trail: state.trail.slice(0, -1), next: null };
}
