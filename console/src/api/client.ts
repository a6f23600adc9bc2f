// One openapi-fetch client per service, all on this origin (the gateway, or the embedded run, routes /api/v1/<area>
// to each service). Every request carries the reviewer's bearer token; every refusal becomes an ApiProblem whose
// message is the service's own Chinese text.
import createClient, { type Middleware } from "openapi-fetch";
import type { paths as ReviewPaths, components as ReviewComponents } from "./generated/reviewworkflow";
import type { paths as RegistrationPaths, components as RegistrationComponents } from "./generated/registration";
import type { paths as MaterialPaths, components as MaterialComponents } from "./generated/materialstorage";
import type { paths as NotificationPaths, components as NotificationComponents } from "./generated/notification";
import { ApiProblem, toApiProblem } from "../lib/problems";

export type CaseView = ReviewComponents["schemas"]["CaseView"];
export type CasePage = ReviewComponents["schemas"]["CasePage"];
export type ImageReviewView = ReviewComponents["schemas"]["ImageReviewView"];
export type CaseEventView = ReviewComponents["schemas"]["CaseEventView"];
export type StageCounts = ReviewComponents["schemas"]["StageCounts"];
export type ReturnPreview = ReviewComponents["schemas"]["ReturnPreview"];
export type ReviewTrends = ReviewComponents["schemas"]["ReviewTrends"];
export type ReplacementReason = ReviewComponents["schemas"]["ReplacementReason"];
export type ReplacementRequest = ReviewComponents["schemas"]["ReplacementRequest"];
export type BulkApproveResponse = ReviewComponents["schemas"]["BulkApproveResponse"];
export type IdentityView = RegistrationComponents["schemas"]["IdentityView"];
export type RegistrationResponse = RegistrationComponents["schemas"]["RegistrationResponse"];
export type ApplicationView = MaterialComponents["schemas"]["ApplicationView"];
export type MaterialImageView = MaterialComponents["schemas"]["ImageView"];
export type SmsPreview = NotificationComponents["schemas"]["SmsPreview"];

let tokenSource: () => string | null = () => null;
let onUnauthorised: () => void = () => {};

export function configureAuth(token: () => string | null, unauthorised: () => void): void {
  tokenSource = token;
  onUnauthorised = unauthorised;
}

export const authHeaders = (): Record<string, string> => {
  const token = tokenSource();
  return token ? { Authorization: `Bearer ${token}`, "Accept-Language": "zh-CN" } : { "Accept-Language": "zh-CN" };
};

const auth: Middleware = {
  onRequest({ request }) {
    for (const [name, value] of Object.entries(authHeaders())) {
      request.headers.set(name, value);
    }
    return request;
  },
  async onResponse({ response }) {
    if (response.ok) {
      return response;
    }
    if (response.status === 401) {
      onUnauthorised();
    }
    throw await toApiProblem(response);
  },
  onError({ error }) {
    return error instanceof ApiProblem ? error : new ApiProblem(0, {});
  },
};

function client<P extends {}>() {
  const c = createClient<P>({ baseUrl: "" });
  c.use(auth);
  return c;
}

export const reviews = client<ReviewPaths>();
export const registrations = client<RegistrationPaths>();
export const materials = client<MaterialPaths>();
export const notifications = client<NotificationPaths>();

/** The data of an openapi-fetch answer; refusals were thrown by the middleware already. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, response } = await call;
  if (data === undefined) {
    throw await toApiProblem(response);
  }
  return data;
}

/** An image's watermarked copy as an object URL (images need the bearer token, so no plain <img src>). */
export async function imageObjectUrl(candidateId: string, imageId: string): Promise<string> {
  const response = await fetch(`/api/v1/materials/candidates/${candidateId}/images/${imageId}/content`, { headers: authHeaders() });
  if (!response.ok) {
    throw await toApiProblem(response);
  }
  return URL.createObjectURL(await response.blob());
}

/** The development token issuer (embedded run only); 404 means it is off and the identity provider must be used. */
export async function devToken(request: { subject: string; role: string; site?: string; area?: string }): Promise<string> {
  const response = await fetch("/api/v1/dev/tokens", {
    method: "POST",
    headers: { "Content-Type": "application/json", "Accept-Language": "zh-CN" },
    body: JSON.stringify(request),
  });
  if (!response.ok) {
    throw await toApiProblem(response);
  }
  return ((await response.json()) as { accessToken: string }).accessToken;
}
