import { createRouter, createWebHistory } from "vue-router";
import { useSession } from "./stores/session";
import { mayOpen, startPage } from "./lib/session";

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
  if (!to.meta.public && !mayOpen(session.current, to.path)) {
    return startPage(session.current);
  }
  return true;
});
