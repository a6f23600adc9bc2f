import { describe, expect, it } from "vitest";
import { ApiProblem, changedElsewhere, problemMessage, toApiProblem } from "../src/lib/problems";

describe("problem messages", () => {
  it("shows the service's Chinese detail, else its title", () => {
    expect(problemMessage({ code: "claim_held", title: "案件已被认领", detail: "该案件已由 site-li 认领，租约至 10:15。" }, 409))
      .toBe("该案件已由 site-li 认领，租约至 10:15。");
    expect(problemMessage({ code: "case_not_found", title: "未找到审核案件" }, 404)).toBe("未找到审核案件");
  });

  it("shows field errors under the form's labels, not the wire names the detail repeats", () => {
    const replacement = { code: "validation", title: "请求无效", detail: "请求内容有误：note：原因为“其他”时必须填写说明。", errors: { note: ["原因为“其他”时必须填写说明。"] } };
    expect(problemMessage(replacement, 400)).toBe("说明：原因为“其他”时必须填写说明。");
    const returned = { code: "validation", title: "请求无效", detail: "请求内容有误：feedback：没有标记要更换的图片时，审核意见必填。", errors: { feedback: ["没有标记要更换的图片时，审核意见必填。"] } };
    expect(problemMessage(returned, 400)).toBe("审核意见：没有标记要更换的图片时，审核意见必填。");
    const rejected = { code: "validation", title: "请求无效", detail: "请求内容有误：reason：拒绝理由必填（最多 2000 个字符）。", errors: { reason: ["拒绝理由必填（最多 2000 个字符）。"] } };
    expect(problemMessage(rejected, 400)).toBe("理由：拒绝理由必填（最多 2000 个字符）。");
    expect(problemMessage(rejected, 400)).not.toMatch(/[a-z]/i);
  });

  it("lists several field errors one per line, an unknown field by its message alone", () => {
    const problem = { title: "请求无效", detail: "…", errors: { "$.request.imageIds[0]": ["不是有效的图片编号。"], somethingNew: ["格式不正确。"] } };
    expect(problemMessage(problem, 400)).toBe("图片：不是有效的图片编号。\n格式不正确。");
  });

  it("falls back to a Chinese message per status without a problem document", () => {
    expect(problemMessage(undefined, 502)).toBe("网关无法连接后端服务，请稍后再试。");
    expect(problemMessage({}, 401)).toBe("登录已失效，请重新登录。");
    expect(problemMessage(undefined, 0)).toBe("无法连接服务器，请检查网络后重试。");
    expect(problemMessage(undefined, 500)).toBe("服务器内部错误，请稍后再试。");
    expect(problemMessage(undefined, 418)).toBe("请求失败（418）。");
  });

  it("reads a problem+json response into an ApiProblem carrying status and code", async () => {
    const response = new Response(JSON.stringify({ status: 409, code: "images_not_reviewed", title: "仍有图片未审核", detail: "还有 2 张图片未审核。" }), {
      status: 409, headers: { "Content-Type": "application/problem+json" },
    });
    const problem = await toApiProblem(response);
    expect(problem).toBeInstanceOf(ApiProblem);
    expect(problem.status).toBe(409);
    expect(problem.code).toBe("images_not_reviewed");
    expect(problem.message).toBe("还有 2 张图片未审核。");
  });

  it("copes with a non-JSON error body", async () => {
    const problem = await toApiProblem(new Response("<html>Bad Gateway</html>", { status: 502 }));
    expect(problem.code).toBeUndefined();
    expect(problem.message).toBe("网关无法连接后端服务，请稍后再试。");
  });

  it("tells a refusal for a case that changed elsewhere (409) from one that changed nothing", () => {
    expect(changedElsewhere(new ApiProblem(409, { code: "claim_held", detail: "该案件已由 site-li 认领" }))).toBe(true);
    expect(changedElsewhere(new ApiProblem(409, { code: "concurrent_change" }))).toBe(true);
    expect(changedElsewhere(new ApiProblem(400, { code: "validation" }))).toBe(false);
    expect(changedElsewhere(new ApiProblem(403, { code: "forbidden" }))).toBe(false);
    expect(changedElsewhere(new Error("网络错误"))).toBe(false);
  });
});
