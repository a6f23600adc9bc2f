// A small client of the main flow, written only against the types openapi-typescript generates from the services'
// documents: a candidate registers, hands over to MaterialStorage, reads the checklist; a reviewer approves. If a
// document stops describing these operations (their bodies, responses, problem codes, the bearer token), this file
// stops compiling and the check fails. It is type-checked (tsc --noEmit), never run.
import type { components as Registration, paths as RegistrationPaths } from "../generated/registration";
import type { paths as MaterialPaths } from "../generated/materialstorage";
import type { operations as ReviewOperations, paths as ReviewPaths } from "../generated/reviewworkflow";

type Json<T> = T extends { content: { "application/json": infer B } } ? B : never;
type Problem<T> = T extends { content: { "application/problem+json": infer P } } ? P : never;

type CreateRegistration = Json<RegistrationPaths["/api/v1/registrations"]["post"]["requestBody"]>;
type Created = Json<RegistrationPaths["/api/v1/registrations"]["post"]["responses"][201]>;
type RegistrationConflict = Problem<RegistrationPaths["/api/v1/registrations"]["post"]["responses"][409]>;
type Unauthenticated = Problem<RegistrationPaths["/api/v1/registrations"]["post"]["responses"][401]>;
type Handover = Json<RegistrationPaths["/api/v1/registrations/me/handover"]["post"]["responses"][200]>;
type Checklist = Json<MaterialPaths["/api/v1/materials/candidates/{candidateId}"]["get"]["responses"][200]>;
type CaseView = Json<ReviewPaths["/api/v1/reviews/cases/{caseId}/approve"]["post"]["responses"][200]>;
// Operations are also reachable by their stable operationId.
type ReviewConflict = Problem<ReviewOperations["approveReviewCase"]["responses"][409]>;
type ReplacementBody = Json<ReviewOperations["requestImageReplacement"]["requestBody"]>;
type ImageLockState = Checklist["images"][number]["lockState"];

async function call<T>(base: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "accept-language": "zh-CN" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    const problem = (await response.json()) as Registration["schemas"]["Problem"];
    throw new Error(`${problem.status} ${problem.code}: ${problem.detail ?? problem.title}`);
  }
  return (await response.json()) as T;
}

export async function register(base: string, token: string): Promise<Created> {
  const request: CreateRegistration = {
    fullName: "张三",
    idNumber: "110101199001011237", // a valid GB 11643 number: check character 7
    mobileNumber: "13800138000",
    examYear: 2026,
    areaCode: "11",
    siteCode: "1101",
    examCategory: "practitioner-clinical",
  };
  return call<Created>(base, token, "POST", "/api/v1/registrations", request);
}

export async function openChecklist(registrationBase: string, materialsBase: string, token: string, candidateId: string): Promise<Checklist> {
  const handover = await call<Handover>(registrationBase, token, "POST", "/api/v1/registrations/me/handover");
  const checklist = await call<Checklist>(materialsBase, token, "GET", `/api/v1/materials/candidates/${candidateId}`);
  console.log(handover, checklist.checklist.length);
  return checklist;
}

export async function approve(base: string, token: string, caseId: string): Promise<CaseView> {
  return call<CaseView>(base, token, "POST", `/api/v1/reviews/cases/${caseId}/approve`, {});
}

// The problem codes are part of the contract: a client can switch on them exhaustively.
export function explainRegistrationConflict(problem: RegistrationConflict | Unauthenticated): string {
  switch (problem.code) {
    case "already_registered":
      return "已报名";
    case "id_number_registered":
      return "该身份证号码已在本年度报名";
    case "unauthenticated":
      return "请先登录";
    default: {
      // Exhaustive: a new code in the document breaks this line until the client handles it.
      const unhandled: never = problem;
      return String(unhandled);
    }
  }
}

export function explainReviewConflict(problem: ReviewConflict): string {
  return problem.code === "claim_not_held" ? "请先认领案件" : problem.title;
}

// Enumerations are spelled out: a typo in a lock state or a reason code does not compile.
export const editable: ImageLockState = "Open";
export const queueFilter: NonNullable<ReviewOperations["listReviewCases"]["parameters"]["query"]>["state"] = "SiteReview";
export const unclear: ReplacementBody = { reasonCode: "unclear", note: "身份证正面反光，请重拍。" };
