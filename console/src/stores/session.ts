import { defineStore } from "pinia";
import { clearSession, expiredNotice, loadSession, saveSession, sessionFromToken, storedSessionExpired, type Session } from "../lib/session";
import { configureAuth } from "../api/client";

export const useSession = defineStore("session", {
  // notice: why the login page is shown (the session ran out), until the next sign-in.
  state: () => ({ current: loadSession() as Session | null, notice: storedSessionExpired() ? expiredNotice : "" }),
  actions: {
    signIn(token: string, development: boolean) {
      const session = sessionFromToken(token, development);
      saveSession(session);
      this.current = session;
      this.notice = "";
    },
    signOut() {
      clearSession();
      this.current = null;
    },
  },
});

/** Wires the API clients to the store: the token for every request, and back to the sign-in page on a 401. */
export function connectApi(store: ReturnType<typeof useSession>, toLogin: () => void): void {
  configureAuth(
    () => store.current?.token ?? null,
    () => {
      // Calls in flight answer 401 together: the first one leads to the login page (its `next` the page the reviewer
      // was on), the others find the session gone already.
      if (!store.current) return;
      store.signOut();
      store.notice = expiredNotice;
      toLogin();
    },
  );
}
