// Chinese names for the API's stable values (stages, decisions, timeline kinds, lock states).

export const stageLabels: Record<string, string> = {
  Submitted: "待考点审核",
  Resubmitted: "重新提交待审",
  UnderSiteReview: "考点审核中",
  SiteApproved: "考点通过·待复审",
  UnderAreaReview: "考区复审中",
  Returned: "已退回修改",
  Approved: "审核通过",
  Rejected: "审核拒绝",
};

export const stageTagType: Record<string, "primary" | "success" | "warning" | "danger" | "info"> = {
  Submitted: "primary",
  Resubmitted: "warning",
  UnderSiteReview: "primary",
  SiteApproved: "primary",
  UnderAreaReview: "primary",
  Returned: "warning",
  Approved: "success",
  Rejected: "danger",
};

export const decisionLabels: Record<string, string> = {
  Pending: "未审",
  Approved: "已通过 ✓",
  ReplacementRequested: "要求重传",
};

export const eventLabels: Record<string, string> = {
  submitted: "提交审核",
  resubmitted: "考生重新提交",
  "image-submitted": "上传图片",
  "image-withdrawn": "撤回图片",
  claimed: "认领",
  "claim-renewed": "续租",
  "claim-released": "放弃认领",
  "claim-expired": "租约到期",
  "image-approved": "通过图片",
  "image-replacement-requested": "要求重传图片",
  "site-approved": "考点通过",
  "area-approved": "审核通过",
  "returned-site": "考点退回修改",
  "returned-area": "考区退回修改",
  rejected: "审核拒绝",
  "reminder-sent": "发送期限提醒",
  "response-window-expired": "修改期限已过",
  escalated: "已升级",
  "message-sent": "发送消息",
  "missing-materials-overridden": "缺材料仍通过",
  opened: "查看",
  "missing-materials-reported": "报告缺少材料",
  "registration-corrected": "更正报名信息",
  resumed: "恢复审核",
  "image-check-failed": "图片检测未通过",
};

/**
 * What the case's "new since the last decision" flag (resubmittedSinceReview) means to a reviewer: a later submission is
 * a resubmission; on the first one, images that came in one by one (an area in continuous mode) are new uploads.
 */
export const newSubmissionLabel = (submissionNumber: number): string => (submissionNumber > 1 ? "重新提交" : "有新上传");

/** The timeline's own actors; a reviewer is shown by their subject. */
export const actorLabels: Record<string, string> = {
  system: "系统",
  candidate: "考生",
};

const imageId = /图片 ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/g;

/**
 * A timeline line as a reviewer reads it: the API names images by id ("图片 01a2…（毕业证书）"), the page by their place in
 * the case ("第 6 张图片（毕业证书）"), as the image header and the thumbnails count them; an image the case does not hold
 * (replaced, or not joined yet) keeps the start of its id.
 */
export function timelineDetail(detail: string, imageIds: readonly string[]): string {
  return detail.replace(imageId, (_, id: string) => {
    const place = imageIds.indexOf(id);
    return place >= 0 ? `第 ${place + 1} 张图片` : `图片 ${id.slice(0, 8)}…`;
  });
}

export const label = (table: Record<string, string>, value: string | null | undefined): string =>
  value == null ? "—" : (table[value] ?? value);

/** Beijing time, as reviewers read every date: 2026-05-01 17:30. */
export function beijing(value: string | Date | null | undefined): string {
  if (!value) {
    return "—";
  }
  const date = new Date(value);
  const shifted = new Date(date.getTime() + 8 * 3600_000);
  return shifted.toISOString().slice(0, 16).replace("T", " ");
}
