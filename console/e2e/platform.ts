// What the candidate side does, through the API as the candidate's own client would: register, upload the required
// images, submit, and after a return replace the images asked for and submit again. Images are real JPEG document
// pages rendered in the browser (text on paper), so they pass the platform's real checks.
import type { Browser } from "@playwright/test";

export const base = (): string => {
  const url = process.env.EXAMREVIEW_URL;
  if (!url) throw new Error("EXAMREVIEW_URL is not set (global-setup starts the platform)");
  return url;
};

/** The seed catalog's set for a plain candidate (seeds/004): three ID images, licence, trial certificate, diploma, notice. */
export const plainCandidateSet = ["id-card", "id-card", "id-card", "institution-licence", "trial-period-certificate", "graduation-certificate", "registration-notice"];

async function call<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { "Accept-Language": "zh-CN" };
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const response = await fetch(`${base()}${path}`, { method, headers, body: payload });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

export const token = async (claims: Record<string, unknown>): Promise<string> =>
  (await call<{ accessToken: string }>("POST", "/api/v1/dev/tokens", null, claims)).accessToken;

async function eventually<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/**
 * Renders a legible document page as a JPEG in Chromium; the text carries a unique line so every upload differs. A
 * smaller page than the default 800×1100 (under 600 px on its shorter side) fails ImageValidation as too low a resolution.
 */
export async function documentJpeg(browser: Browser, title: string, size = { width: 800, height: 1100 }): Promise<Buffer> {
  const page = await browser.newPage();
  try {
    const dataUrl = await page.evaluate(([heading, unique, width, height]) => {
      const canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      const g = canvas.getContext("2d")!;
      g.fillStyle = "#f5f5f5";
      g.fillRect(0, 0, width, height);
      g.fillStyle = "#1e1e1e";
      g.font = "bold 34px 'WenQuanYi Micro Hei', sans-serif";
      g.fillText(heading, 80, 120);
      g.font = "20px 'WenQuanYi Micro Hei', sans-serif";
      const line = "中华人民共和国医师资格考试 报名材料 姓名 张三 专业 临床医学 学制 五年";
      for (let y = 180, i = 0; y < height - 100; y += 34, i++) {
        g.fillText(i % 3 === 2 ? `Certificate No. 2024-430105-${String(i).padStart(4, "0")} ${unique}` : line, 80, y);
      }
      g.strokeStyle = "#1e1e1e";
      g.lineWidth = 3;
      g.strokeRect(50, 50, width - 100, height - 100);
      return canvas.toDataURL("image/jpeg", 0.8);
    }, [title, crypto.randomUUID(), size.width, size.height] as const);
    return Buffer.from(dataUrl.split(",")[1]!, "base64");
  } finally {
    await page.close();
  }
}

export interface Candidate {
  candidateId: string;
  token: string;
  registrationNumber: string;
  idNumber: string;
}

/** A resident ID number of the candidate's own (one registration per number and year): a real birth date and the GB 11643 check digit. */
export function newIdNumber(region = "430101"): string {
  const birth = new Date(Date.UTC(1970 + Math.floor(Math.random() * 30), Math.floor(Math.random() * 12), 1 + Math.floor(Math.random() * 28)));
  const body = region + birth.toISOString().slice(0, 10).replaceAll("-", "") + String(Math.floor(Math.random() * 1000)).padStart(3, "0");
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((total, digit, i) => total + Number(digit) * weights[i]!, 0);
  return body + "10X98765432"[sum % 11];
}

interface ApplicationImage { imageId: string; materialType: string; validation: string; lockState: string }

export async function registerCandidate(site = "4301", area = "43"): Promise<Candidate> {
  const candidateId = crypto.randomUUID();
  const candidateToken = await token({ subject: `candidate-${candidateId.slice(0, 8)}`, role: "candidate", candidateId });
  const idNumber = newIdNumber();
  const registration = await call<{ registrationNumber: string }>("POST", "/api/v1/registrations", candidateToken, {
    fullName: "张三", idNumber, mobileNumber: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`,
    examYear: 2027, areaCode: area, siteCode: site, examCategory: "practitioner-clinical",
  });
  await eventually("the material application to open", () =>
    call("GET", `/api/v1/materials/candidates/${candidateId}`, candidateToken).then(() => true));
  return { candidateId, token: candidateToken, registrationNumber: registration.registrationNumber, idNumber };
}

const form = (fields: Record<string, string>, jpeg: Buffer): FormData => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  data.append("file", new Blob([new Uint8Array(jpeg)], { type: "image/jpeg" }), "scan.jpg");
  return data;
};

export const application = (c: Candidate) =>
  call<{ images: ApplicationImage[]; state: string }>("GET", `/api/v1/materials/candidates/${c.candidateId}`, c.token);

async function waitForChecks(c: Candidate) {
  await eventually("every image's checks", async () => (await application(c)).images.every((i) => i.validation !== "Pending"), 90_000);
}

/** An operator's setting of an area's submission mode: in continuous mode every upload is its own submission. */
export async function setSubmissionMode(area: string, mode: "explicit" | "continuous"): Promise<void> {
  const operator = await token({ subject: "ops-e2e", role: "operator" });
  await call("PUT", `/api/v1/materials/areas/${area}/settings`, operator, { submissionMode: mode, maxImageBytes: null });
}

/** One upload of the candidate's, as their client sends it. */
export const upload = async (c: Candidate, materialType: string, jpeg: Buffer): Promise<void> =>
  void (await call("POST", `/api/v1/materials/candidates/${c.candidateId}/images`, c.token, form({ materialType }, jpeg)));

export async function uploadAndSubmit(browser: Browser, c: Candidate): Promise<void> {
  for (const type of plainCandidateSet) {
    await call("POST", `/api/v1/materials/candidates/${c.candidateId}/images`, c.token, form({ materialType: type }, await documentJpeg(browser, type)));
  }
  await waitForChecks(c);
  await call("POST", `/api/v1/materials/candidates/${c.candidateId}/submit`, c.token);
}

/** After a return: replaces the given images with new pages and submits again. */
export async function replaceAndResubmit(browser: Browser, c: Candidate, imageIds: string[]): Promise<void> {
  await eventually("the return to unlock the images", async () => {
    const app = await application(c);
    return imageIds.every((id) => app.images.find((i) => i.imageId === id)?.lockState === "Open");
  });
  for (const id of imageIds) {
    await call("PUT", `/api/v1/materials/candidates/${c.candidateId}/images/${id}`, c.token, form({}, await documentJpeg(browser, "重新拍摄")));
  }
  await waitForChecks(c);
  await call("POST", `/api/v1/materials/candidates/${c.candidateId}/submit`, c.token);
}

/** The case's images as the review knows them: their decisions and automatic checks. */
export const caseImages = (reviewerToken: string, caseId: string) =>
  call<{ images: { imageId: string; decision: string; check?: string | null }[] }>("GET", `/api/v1/reviews/cases/${caseId}`, reviewerToken).then((v) => v.images);

/** Waits until the review knows every given image's check verdict (ImageValidation's MaterialValidated has arrived). */
export const checksKnown = (reviewerToken: string, caseId: string, count: number) =>
  eventually(`the checks of ${count} images in case ${caseId}`, async () => {
    const images = await caseImages(reviewerToken, caseId);
    return images.length === count && images.every((i) => i.check === "Passed" || i.check === "Failed") ? images : null;
  }, 90_000);

export async function caseOf(c: Candidate, reviewerToken: string, query = ""): Promise<{ caseId: string; imageIds: string[]; stage: string }> {
  return eventually(`the review case of ${c.registrationNumber}`, async () => {
    const page = await call<{ items: { caseId: string; candidateId: string; imageIds: string[]; stage: string }[] }>(
      "GET", `/api/v1/reviews/cases?limit=200${query}`, reviewerToken);
    return page.items.find((i) => i.candidateId === c.candidateId) ?? null;
  }, 60_000);
}

export const claimAs = (reviewerToken: string, caseId: string) => call("POST", `/api/v1/reviews/cases/${caseId}/claim`, reviewerToken);

/** Lets go of a claim through the API, as the reviewer's other tab would. */
export const releaseAs = (reviewerToken: string, caseId: string) => call("DELETE", `/api/v1/reviews/cases/${caseId}/claim`, reviewerToken);

export async function stageCount(reviewerToken: string, stage: string): Promise<number> {
  const counts = await call<{ stages: { stage: string; count: number }[] }>("GET", "/api/v1/reviews/cases/stage-counts", reviewerToken);
  return counts.stages.find((s) => s.stage === stage)?.count ?? 0;
}

/** The images of a case the reviewer asked to be replaced (as the case's own view lists them). */
export async function imagesToReplace(reviewerToken: string, caseId: string): Promise<string[]> {
  const view = await call<{ images: { imageId: string; decision: string }[] }>("GET", `/api/v1/reviews/cases/${caseId}`, reviewerToken);
  return view.images.filter((i) => i.decision === "ReplacementRequested").map((i) => i.imageId);
}

/** Another reviewer's work through the API: claims the case and approves every image (✓), leaving the application. */
export async function reviewImagesAs(reviewerToken: string, caseId: string): Promise<void> {
  await claimAs(reviewerToken, caseId);
  const view = await call<{ images: { imageId: string; decision: string }[] }>("GET", `/api/v1/reviews/cases/${caseId}`, reviewerToken);
  for (const image of view.images.filter((i) => i.decision === "Pending")) {
    await call("POST", `/api/v1/reviews/cases/${caseId}/images/${image.imageId}/approve`, reviewerToken);
  }
}

/** A site reviewer's return for a registration-data problem, through the API: claim, then return with no image. */
export async function returnForRegistrationData(reviewerToken: string, caseId: string, feedback: string): Promise<void> {
  await claimAs(reviewerToken, caseId);
  await call("POST", `/api/v1/reviews/cases/${caseId}/return`, reviewerToken, { feedback, imageIds: null, registrationData: true });
}
