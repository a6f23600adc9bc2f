// Every refusal from the API is an RFC 9457 problem with a stable `code` and Chinese title/detail (the services pick
// Chinese unless the client asks for English). The console shows the service's own Chinese text; only when a response
// carries no problem at all (a proxy's 502, a dropped connection) does it fall back to a message of its own.

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: Record<string, string[]>;
  [fact: string]: unknown;
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problemMessage(problem, status));
    this.name = "ApiProblem";
  }

  get code(): string | undefined {
    return this.problem.code;
  }
}

const fallbackByStatus: Record<number, string> = {
  0: "无法连接服务器，请检查网络后重试。",
  401: "登录已失效，请重新登录。",
  403: "没有权限执行此操作。",
  404: "未找到该资源，或不在您的审核范围内。",
  409: "操作与当前状态冲突，请刷新后重试。",
  413: "文件过大。",
  429: "操作过于频繁，请稍后再试。",
  502: "网关无法连接后端服务，请稍后再试。",
  503: "服务暂不可用，请稍后再试。",
};

export function isProblem(value: unknown): value is Problem {
  return typeof value === "object" && value !== null && ("title" in value || "detail" in value || "code" in value);
}

// The request fields the console sends, as a reviewer knows them. A validation problem names the wire field
// ("note：原因为“其他”时必须填写说明。"), which is for API clients: the console shows the field by its label on the form.
const fieldLabels: Record<string, string> = {
  feedback: "审核意见",
  note: "说明",
  reasonCode: "原因",
  reason: "理由",
  overrideReason: "缺材料仍通过的理由",
  imageIds: "图片",
  caseIds: "案件",
  subject: "账号",
  role: "角色",
  site: "考点代码",
  area: "考区代码",
  areaCode: "考区代码",
  from: "开始时间",
  to: "结束时间",
};

/** A field's label for the reviewer ("$.request.note" and "imageIds[0]" read as their last name), or null when unknown. */
export function fieldLabel(field: string): string | null {
  const name = field.replace(/\[\d+\]/g, "").split(".").pop() ?? "";
  const key = Object.keys(fieldLabels).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? fieldLabels[key]! : null;
}

/**
 * The Chinese message to show for a refusal: the problem's detail (the specific reason), else its title. A problem
 * with field errors shows those instead, one per line, each under the field's label on the form ("说明：…"), or alone
 * when the console has no label for the field: the detail repeats them under their wire names. Without a problem
 * document, a fixed message per status.
 */
export function problemMessage(problem: Problem | undefined, status: number): string {
  if (!problem || (!problem.detail && !problem.title && !problem.errors)) {
    return fallbackByStatus[status] ?? (status >= 500 ? "服务器内部错误，请稍后再试。" : `请求失败（${status}）。`);
  }
  const fields = Object.entries(problem.errors ?? {}).flatMap(([field, messages]) =>
    messages.map((m) => {
      const label = fieldLabel(field);
      return label ? `${label}：${m}` : m;
    }));
  if (fields.length > 0) {
    return fields.join("\n");
  }
  return problem.detail?.trim() || problem.title?.trim() || "";
}

/** Reads a failed response into an ApiProblem (a problem document when there is one). */
export async function toApiProblem(response: Response): Promise<ApiProblem> {
  let body: unknown;
  try {
    body = await response.clone().json();
  } catch {
    body = undefined;
  }
  return new ApiProblem(response.status, isProblem(body) ? body : {});
}

/**
 * Whether a refusal says the case changed since the page loaded it (409: another reviewer claimed it or decided first,
 * a version moved): the page shows the case again. Validation (400) and permission (403) refusals change nothing.
 */
export const changedElsewhere = (error: unknown): boolean => error instanceof ApiProblem && error.status === 409;
