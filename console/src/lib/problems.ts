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

/**
 * The Chinese message to show for a refusal: the problem's detail (the specific reason), else its title; field errors
 * are appended one per field ("字段：消息"). Without a problem document, a fixed message per status.
 */
export function problemMessage(problem: Problem | undefined, status: number): string {
  if (!problem || (!problem.detail && !problem.title)) {
    return fallbackByStatus[status] ?? (status >= 500 ? "服务器内部错误，请稍后再试。" : `请求失败（${status}）。`);
  }
  const head = problem.detail?.trim() || problem.title?.trim() || "";
  const fields = Object.entries(problem.errors ?? {})
    .flatMap(([field, messages]) => messages.map((m) => `${field}：${m}`))
    .filter((line) => !head.includes(line));
  return [head, ...fields].join("\n");
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
