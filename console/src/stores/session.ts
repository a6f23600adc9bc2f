import { defineStore } from "pinia";
import { clearSession, loadSession, saveSession, sessionFromToken, type Session } from "../lib/session";
import { configureAuth } from "../api/client";

export const useSession = defineStore("session", {
  state: () => ({ current: loadSession() as Session | null }),
  actions: {
    signIn(token: string, development: boolean) {
      const session = sessionFromToken(token, development);
      saveSession(session);
      this.current = session;
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
      store.signOut();
      toLogin();
    },
  );
}
