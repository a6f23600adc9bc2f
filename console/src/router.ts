import { createRouter, createWebHistory } from "vue-router";
import { useSession } from "./stores/session";
import { noConsoleNotice, redirectFor, startPage } from "./lib/session";

export const router = createRouter({
  history: createWebHistory("/console/"),
  routes: [
    { path: "/", redirect: () => startPage(useSession().current) },
    { path: "/login", component: () => import("./views/LoginView.vue"), meta: { public: true } },
    { path: "/auth/callback", component: () => import("./views/AuthCallbackView.vue"), meta: { public: true } },
    { path: "/queue", component: () => import("./views/QueueView.vue") },
    { path: "/cases/:caseId", component: () => import("./views/CaseView.vue"), props: true },
    { path: "/metrics", component: () => import("./views/MetricsView.vue") },
    { path: "/:rest(.*)*", redirect: () => startPage(useSession().current) },
  ],
});

router.beforeEach((to) => {
  const session = useSession();
  if (!to.meta.public && !session.current) {
    return { path: "/login", query: { next: to.fullPath } };
  }
  const redirect = to.meta.public ? null : redirectFor(session.current, to.path);
  if (redirect === "/login") {
    // A role with no page here: signed out with a word why, not redirected in a circle.
    session.signOut();
    session.notice = noConsoleNotice;
    return { path: "/login" };
  }
  if (redirect !== null) {
    return redirect;
  }
  return true;
});
