// The signed-in reviewer: the bearer token (kept in sessionStorage, so it dies with the tab) and what it says about
// the caller (role and scope claims, as the services read them: role, sub, site, area).

import type { PlaceNames } from "./places";

export type Role = "site-reviewer" | "area-reviewer" | "operator" | "province" | "candidate";

export interface Session {
  token: string;
  subject: string;
  role: Role;
  site: string | null;
  area: string | null;
  expiresAt: Date;
  development: boolean;
}

const storageKey = "examreview.console.session";

function base64UrlDecode(segment: string): string {
  const padded = segment.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(segment.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Reads the claims of a JWT (no verification: the services verify; the console only shows who is signed in). */
export function sessionFromToken(token: string, development: boolean): Session {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) {
    throw new Error("令牌格式不正确。");
  }
  const claims = JSON.parse(base64UrlDecode(parts[1])) as Record<string, unknown>;
  const role = (Array.isArray(claims.role) ? claims.role[0] : claims.role) as Role | undefined;
  if (!role) {
    throw new Error("令牌中没有角色。");
  }
  return {
    token,
    subject: String(claims.sub ?? ""),
    role,
    site: typeof claims.site === "string" ? claims.site : null,
    area: typeof claims.area === "string" ? claims.area : null,
    expiresAt: new Date(Number(claims.exp ?? 0) * 1000),
    development,
  };
}

/** Who is signed in and where: 考点审核员 · 长沙市考点（4301）, or by code (考点 4301) while the place has no name. */
export function scopeLabel(session: Session, names?: PlaceNames): string {
  const place = (kind: "考点" | "考区", code: string | null) => {
    const name = code && names ? (kind === "考点" ? names.site(code) : names.area(code)) : null;
    return name && name !== code ? `${name}（${code}）` : `${kind} ${code ?? "—"}`;
  };
  switch (session.role) {
    case "site-reviewer":
      return `考点审核员 · ${place("考点", session.site)}`;
    case "area-reviewer":
      return `考区审核员 · ${place("考区", session.area)}`;
    case "operator":
      return "运营人员 · 全国";
    case "province":
      return `省级 · ${place("考区", session.area)}`;
    default:
      return session.role;
  }
}

export const isReviewer = (s: Session | null): boolean => s?.role === "site-reviewer" || s?.role === "area-reviewer";

export const seesMetrics = (s: Session | null): boolean => s?.role === "area-reviewer" || s?.role === "operator";

/**
 * Where a signed-in user may go: the queue and the cases are the reviewers' (the API refuses them to anyone else, so an
 * operator sent there met 您的账号没有执行此操作的权限 above an empty queue); the metrics are area reviewers' and
 * operators'. A path they may not open leads to their start page.
 */
export function mayOpen(s: Session | null, path: string): boolean {
  if (path.startsWith("/queue") || path.startsWith("/cases")) return isReviewer(s);
  if (path.startsWith("/metrics")) return seesMetrics(s);
  return true;
}

/** The first page after signing in: the queue for reviewers, the metrics for operators. */
export const startPage = (s: Session | null): string => (!isReviewer(s) && seesMetrics(s) ? "/metrics" : "/queue");

/**
 * Where the router sends a signed-in user who asks for `path`: null to let them in, else their start page, or the login
 * page when their role has no page here at all (a province or candidate token from the identity provider). Sending
 * that role to its start page, which it may not open either, redirected to the same page for ever and the tab hung.
 */
export function redirectFor(s: Session | null, path: string): string | null {
  if (mayOpen(s, path)) return null;
  const start = startPage(s);
  return mayOpen(s, start) ? start : "/login";
}

/** What the login page tells someone whose account's role has no page in the console. */
export const noConsoleNotice = "该账号的角色不能使用审核工作台，请使用考点审核员、考区审核员或运营人员账号登录。";

export function loadSession(storage: Pick<Storage, "getItem"> = sessionStorage, now = new Date()): Session | null {
  const raw = storage.getItem(storageKey);
  if (!raw) {
    return null;
  }
  try {
    const parsed = JSON.parse(raw) as { token: string; development: boolean };
    const session = sessionFromToken(parsed.token, parsed.development);
    return session.expiresAt > now ? session : null;
  } catch {
    return null;
  }
}

/** Whether the tab holds a session whose token has run out (the login page says so rather than just appearing). */
export function storedSessionExpired(storage: Pick<Storage, "getItem"> = sessionStorage, now = new Date()): boolean {
  const raw = storage.getItem(storageKey);
  if (!raw) {
    return false;
  }
  try {
    return sessionFromToken((JSON.parse(raw) as { token: string }).token, false).expiresAt <= now;
  } catch {
    return false;
  }
}

/** What the login page tells someone sent back to it because their sign-in ended. */
export const expiredNotice = "登录已失效（令牌已过期或不再有效），请重新登录；登录后回到原来的页面。";

export function saveSession(session: Session, storage: Pick<Storage, "setItem"> = sessionStorage): void {
  storage.setItem(storageKey, JSON.stringify({ token: session.token, development: session.development }));
}

export function clearSession(storage: Pick<Storage, "removeItem"> = sessionStorage): void {
  storage.removeItem(storageKey);
}
