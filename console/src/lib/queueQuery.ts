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

/** The stages a reviewer of a level works on first (the default tab). */
export const defaultStage = (role: string | undefined): string => (role === "area-reviewer" ? "SiteApproved" : "");
