import { describe, expect, it } from "vitest";
import { filtersFromQuery, filtersToQuery, queueQuery } from "../src/lib/queueQuery";
import { loadSession, mayOpen, redirectFor, scopeLabel, sessionFromToken, startPage, storedSessionExpired } from "../src/lib/session";
import { placeNames } from "../src/lib/places";

const none = { stage: "", resubmitted: false, overdue: false, mine: false };

describe("queue filters", () => {
  it("maps each stage onto the facts the list API filters by", () => {
    expect(queueQuery({ ...none, stage: "Submitted" }, null, 20)).toEqual({ limit: 20, state: "SiteReview", claimed: false, resubmitted: false });
    expect(queueQuery({ ...none, stage: "UnderSiteReview" }, null, 20)).toEqual({ limit: 20, state: "SiteReview", claimed: true });
    expect(queueQuery({ ...none, stage: "SiteApproved" }, null, 20)).toEqual({ limit: 20, state: "AreaReview", claimed: false });
    expect(queueQuery({ ...none, stage: "Returned" }, null, 50)).toEqual({ limit: 50, state: "Returned" });
    expect(queueQuery(none, null, 20)).toEqual({ limit: 20 });
  });

  it("adds the switches and the cursor", () => {
    expect(queueQuery({ stage: "", resubmitted: true, overdue: true, mine: true }, "abc", 20))
      .toEqual({ limit: 20, resubmitted: true, overdue: true, mine: true, cursor: "abc" });
  });
});

const token = (claims: object) => `h.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.s`;

describe("session", () => {
  it("reads role and scope claims from the token", () => {
    const s = sessionFromToken(token({ sub: "site-zhang", role: "site-reviewer", site: "4301", exp: 2_000_000_000 }), true);
    expect(s).toMatchObject({ subject: "site-zhang", role: "site-reviewer", site: "4301", area: null, development: true });
    expect(scopeLabel(s)).toBe("考点审核员 · 考点 4301");
    expect(scopeLabel(sessionFromToken(token({ sub: "a", role: "area-reviewer", area: "43", exp: 1 }), false))).toBe("考区审核员 · 考区 43");
  });

  it("refuses a token without a role", () => {
    expect(() => sessionFromToken(token({ sub: "x" }), false)).toThrow("令牌中没有角色。");
    expect(() => sessionFromToken("garbage", false)).toThrow("令牌格式不正确。");
  });
});

describe("where each role may go", () => {
  const as = (role: string) => sessionFromToken(token({ sub: "x", role, site: "4301", area: "43", exp: 2_000_000_000 }), true);

  it("sends operators to the metrics: the queue and the cases are the reviewers' (the API refuses them anyone else)", () => {
    expect(startPage(as("operator"))).toBe("/metrics");
    expect(mayOpen(as("operator"), "/queue")).toBe(false);
    expect(mayOpen(as("operator"), "/cases/01a23dca-fba1-7fcb-9d46-2b0274ff3373")).toBe(false);
    expect(mayOpen(as("operator"), "/metrics")).toBe(true);
  });

  it("starts reviewers on the queue; site reviewers see no metrics", () => {
    expect(startPage(as("site-reviewer"))).toBe("/queue");
    expect(startPage(as("area-reviewer"))).toBe("/queue");
    expect(mayOpen(as("area-reviewer"), "/metrics")).toBe(true);
    expect(mayOpen(as("site-reviewer"), "/metrics")).toBe(false);
    expect(mayOpen(as("site-reviewer"), "/cases/x")).toBe(true);
  });

  it("lets a role in, sends it to its start page, or to the login page when it has no page here (never in a circle)", () => {
    expect(redirectFor(as("site-reviewer"), "/cases/x")).toBeNull();
    expect(redirectFor(as("operator"), "/queue")).toBe("/metrics");
    expect(redirectFor(as("site-reviewer"), "/metrics")).toBe("/queue");
    // A province or candidate token may open neither the queue nor the metrics: its start page would redirect to itself.
    for (const role of ["province", "candidate"]) {
      expect(mayOpen(as(role), startPage(as(role)))).toBe(false);
      expect(redirectFor(as(role), "/queue")).toBe("/login");
      expect(redirectFor(as(role), "/metrics")).toBe("/login");
    }
  });
});

describe("places by name", () => {
  const reference = { areas: [{ code: "43", name: "湖南考区", sites: [{ code: "4301", name: "长沙市考点" }, { code: "4302", name: "株洲市考点" }] }] };

  it("names areas and sites, and shows a code the reference data does not know as itself", () => {
    const names = placeNames(reference);
    expect(names.area("43")).toBe("湖南考区");
    expect(names.site("4302")).toBe("株洲市考点");
    expect(names.site("9901")).toBe("9901");
    expect(placeNames(null).area("43")).toBe("43");
    expect(names.site(null)).toBe("—");
  });

  it("puts the name in the scope label, the code beside it; by code until the names arrive", () => {
    const site = sessionFromToken(token({ sub: "site-wang", role: "site-reviewer", site: "4301", exp: 2_000_000_000 }), true);
    const area = sessionFromToken(token({ sub: "area-chen", role: "area-reviewer", area: "43", exp: 2_000_000_000 }), true);
    expect(scopeLabel(site, placeNames(reference))).toBe("考点审核员 · 长沙市考点（4301）");
    expect(scopeLabel(area, placeNames(reference))).toBe("考区审核员 · 湖南考区（43）");
    expect(scopeLabel(site, placeNames(null))).toBe("考点审核员 · 考点 4301");
  });
});

describe("a session that ran out", () => {
  const stored = (exp: number) => ({ getItem: () => JSON.stringify({ token: token({ sub: "site-wang", role: "site-reviewer", site: "4301", exp }), development: true }) });
  const now = new Date(1_800_000_000_000);

  it("is not loaded, and is told apart from no session at all", () => {
    expect(loadSession(stored(1_799_999_000), now)).toBeNull();
    expect(storedSessionExpired(stored(1_799_999_000), now)).toBe(true);
    expect(storedSessionExpired(stored(1_800_001_000), now)).toBe(false);
    expect(storedSessionExpired({ getItem: () => null }, now)).toBe(false);
    expect(storedSessionExpired({ getItem: () => "not json" }, now)).toBe(false);
  });
});

describe("the queue's address", () => {
  it("starts an area reviewer on 考点通过·待复审 and a site reviewer on 全部", () => {
    expect(filtersFromQuery({}, "area-reviewer")).toEqual({ ...none, stage: "SiteApproved" });
    expect(filtersFromQuery({}, "site-reviewer")).toEqual(none);
  });

  it("keeps the filters in the address and reads them back, 全部 included where the default is another tab", () => {
    const area = { stage: "", resubmitted: true, overdue: false, mine: true };
    expect(filtersToQuery(area, "area-reviewer")).toEqual({ stage: "all", resubmitted: "1", mine: "1" });
    expect(filtersFromQuery(filtersToQuery(area, "area-reviewer"), "area-reviewer")).toEqual(area);
    const site = { stage: "Returned", resubmitted: false, overdue: true, mine: false };
    expect(filtersToQuery(site, "site-reviewer")).toEqual({ stage: "Returned", overdue: "1" });
    expect(filtersFromQuery(filtersToQuery(site, "site-reviewer"), "site-reviewer")).toEqual(site);
    expect(filtersToQuery({ ...none, stage: "SiteApproved" }, "area-reviewer")).toEqual({});
  });

  it("reads an unknown stage as 全部", () => {
    expect(filtersFromQuery({ stage: "Nonsense" }, "area-reviewer").stage).toBe("");
    // Names every object has are no stage: the tabs would show none selected over an unfiltered list.
    expect(filtersFromQuery({ stage: "toString" }, "area-reviewer").stage).toBe("");
    expect(filtersFromQuery({ stage: "constructor" }, "site-reviewer").stage).toBe("");
  });
});
