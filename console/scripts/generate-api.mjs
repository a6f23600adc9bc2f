// Regenerates the typed API client: fetches each service's OpenAPI document from a running platform (the embedded
// run, `scripts/run.sh`, or the gateway), keeps it in console/openapi/<service>.json and generates
// src/api/generated/<service>.ts with openapi-typescript. Both are committed; run this after changing an endpoint.
//
//   node scripts/generate-api.mjs [base URL, default http://127.0.0.1:5100]
//   node scripts/generate-api.mjs --offline      regenerate the types from the committed documents only
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const services = ["registration", "materialstorage", "reviewworkflow", "notification"];
const offline = process.argv.includes("--offline");
const base = process.argv.slice(2).find((a) => !a.startsWith("--")) ?? "http://127.0.0.1:5100";

mkdirSync(join(root, "openapi"), { recursive: true });
mkdirSync(join(root, "src/api/generated"), { recursive: true });
for (const service of services) {
  const document = join(root, "openapi", `${service}.json`);
  if (!offline) {
    const response = await fetch(`${base}/openapi/${service}.json`);
    if (!response.ok) {
      console.error(`GET ${base}/openapi/${service}.json answered ${response.status}`);
      process.exit(1);
    }
    writeFileSync(document, JSON.stringify(await response.json(), null, 2) + "\n");
  }
  const output = join(root, "src/api/generated", `${service}.ts`);
  const result = spawnSync(join(root, "node_modules/.bin/openapi-typescript"), [document, "-o", output], { stdio: "inherit" });
  if (result.status !== 0) {
    process.exit(result.status ?? 1);
  }
  console.log(`${service}: ${document} → ${output}`);
}
