import { defineConfig } from "@playwright/test";

// Browser tests in Debian's Chromium (/usr/bin/chromium; never a downloaded browser) against the running embedded
// platform, which e2e/global-setup.ts starts (the built ExamReview.Embedded, serving console/dist at /console/).
export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  timeout: 180_000,
  expect: { timeout: 15_000 },
  workers: 1,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    browserName: "chromium",
    headless: true,
    viewport: { width: 1600, height: 1000 },
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    testIdAttribute: "data-test",
    // An action that cannot happen fails at its own step (naming the locator) instead of running into the test timeout.
    actionTimeout: 20_000,
    navigationTimeout: 30_000,
    trace: "off",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      // Root in CI containers: Chromium's sandbox needs an unprivileged user.
      args: ["--no-sandbox", "--disable-dev-shm-usage", "--font-render-hinting=none"],
    },
  },
});
