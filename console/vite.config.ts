import { defineConfig } from "vitest/config";
import vue from "@vitejs/plugin-vue";

// Served under /console/ by the gateway and by the embedded run (same origin as /api/v1/...).
// `npm run dev` proxies the API to a running platform (scripts/run.sh, port 5100 by default).
export default defineConfig({
  base: "/console/",
  plugins: [vue()],
  build: {
    outDir: "dist",
    // No inline scripts or eval: the console runs under a CSP with script-src 'self'.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: { "/api": process.env.EXAMREVIEW_API ?? "http://127.0.0.1:5100" },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
  },
});
