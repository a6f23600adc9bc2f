// The queue's filters as the list API's query. A stage is derived from the case's state, its claim and whether it came
// back after a return; the API filters on those facts, so each stage maps onto them.

export interface QueueFilters {
  stage: string;
  resubmitted: boolean;
  overdue: boolean;
  mine: boolean;
}

export interface QueueQuery {
  state?: "SiteReview" | "AreaReview" | "Returned" | "Approved" | "Rejected";
  claimed?: boolean;
  resubmitted?: boolean;
  overdue?: boolean;
  mine?: boolean;
  cursor?: string;
  limit?: number;
}

const byStage: Record<string, Pick<QueueQuery, "state" | "claimed" | "resubmitted">> = {
  Submitted: { state: "SiteReview", claimed: false, resubmitted: false },
  Resubmitted: { state: "SiteReview", claimed: false, resubmitted: true },
  UnderSiteReview: { state: "SiteReview", claimed: true },
  SiteApproved: { state: "AreaReview", claimed: false },
  UnderAreaReview: { state: "AreaReview", claimed: true },
  Returned: { state: "Returned" },
  Approved: { state: "Approved" },
  Rejected: { state: "Rejected" },
};

export function queueQuery(filters: QueueFilters, cursor: string | null, limit: number): QueueQuery {
  const query: QueueQuery = { limit, ...(byStage[filters.stage] ?? {}) };
  if (filters.resubmitted) {
    query.resubmitted = true;
  }
  if (filters.overdue) {
    query.overdue = true;
  }
  if (filters.mine) {
    query.mine = true;
  }
  if (cursor) {
    query.cursor = cursor;
  }
  return query;
}

/** The stages a reviewer of a level works on first (the default tab): an area reviewer's are the site-approved cases. */
export const defaultStage = (role: string | undefined): string => (role === "area-reviewer" ? "SiteApproved" : "");

type RouteQuery = Record<string, string | null | (string | null)[] | undefined>;
const flag = (value: RouteQuery[string]) => value === "1";

/**
 * The queue's filters as the page's address keeps them (?stage=Returned&mine=1), so that going back from a case, reloading
 * or sharing the link shows the same queue; an address without them starts on the role's default tab. `stage=all` is 全部
 * where the default is another tab.
 */
export function filtersFromQuery(query: RouteQuery, role: string | undefined): QueueFilters {
  const stage = typeof query.stage === "string" ? query.stage : null;
  return {
    stage: stage === null ? defaultStage(role) : stage === "all" || !Object.hasOwn(byStage, stage) ? "" : stage, // own stages only: "toString" is in every object
    resubmitted: flag(query.resubmitted),
    overdue: flag(query.overdue),
    mine: flag(query.mine),
  };
}

export function filtersToQuery(filters: QueueFilters, role: string | undefined): Record<string, string> {
  const query: Record<string, string> = {};
  if (filters.stage !== defaultStage(role)) query.stage = filters.stage || "all";
  if (filters.resubmitted) query.resubmitted = "1";
  if (filters.overdue) query.overdue = "1";
  if (filters.mine) query.mine = "1";
  return query;
}

/** The queue's address as the reviewer last left it, for 返回队列 on a case. */
let lastQueueQuery: Record<string, string> = {};
export const rememberQueue = (query: Record<string, string>): void => void (lastQueueQuery = query);
export const rememberedQueue = (): Record<string, string> => lastQueueQuery;
