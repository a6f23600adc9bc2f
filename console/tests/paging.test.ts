import { describe, expect, it } from "vitest";
import { back, currentCursor, firstPage, forward, hasNext, hasPrevious, pageNumber, received } from "../src/lib/paging";

describe("keyset paging", () => {
  it("starts on the first page without a cursor and cannot go anywhere until the server answers", () => {
    const start = firstPage();
    expect(currentCursor(start)).toBeNull();
    expect(pageNumber(start)).toBe(1);
    expect(hasNext(start)).toBe(false);
    expect(hasPrevious(start)).toBe(false);
    expect(forward(start)).toBe(start);
    expect(back(start)).toBe(start);
  });

  it("follows the server's next cursor forward and retraces the visited cursors back", () => {
    let state = received(firstPage(), "c2");
    expect(hasNext(state)).toBe(true);
    state = forward(state);
    expect(currentCursor(state)).toBe("c2");
    expect(pageNumber(state)).toBe(2);
    expect(hasNext(state)).toBe(false); // not known until page 2 answers
    state = forward(received(state, "c3"));
    expect(currentCursor(state)).toBe("c3");
    expect(pageNumber(state)).toBe(3);

    state = back(state);
    expect(currentCursor(state)).toBe("c2");
    state = back(state);
    expect(currentCursor(state)).toBeNull();
    expect(hasPrevious(state)).toBe(false);
  });

  it("stops at the last page when the server gives no next cursor", () => {
    const last = received(forward(received(firstPage(), "c2")), null);
    expect(hasNext(last)).toBe(false);
    expect(forward(last)).toBe(last);
    expect(received(firstPage(), undefined).next).toBeNull();
  });
});
