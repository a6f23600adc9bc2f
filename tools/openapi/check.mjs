// Checks the services' OpenAPI documents (issue 17): each must lint clean under Redocly's recommended ruleset (errors
// fail; a warning fails unless redocly.yaml lists its rule as `warn` with a reason), and each must generate a
// TypeScript client (openapi-typescript) that the programs in client/ type-check against (tsc --noEmit).
//
// usage: node check.mjs <directory holding <document>.json files>
// Run `npm ci` in this folder first (scripts/test.sh does); nothing here downloads anything.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const documents = resolve(process.argv[2] ?? join(here, "documents"));
const bin = (name) => join(here, "node_modules", ".bin", name);

function fail(message) {
  console.error(`openapi check FAILED: ${message}`);
  process.exit(1);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: here, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    fail(`${command} could not start: ${result.error.message}`);
  }
  return result;
}

for (const tool of ["redocly", "openapi-typescript", "tsc"]) {
  if (!existsSync(bin(tool))) {
    fail(`${bin(tool)} is missing: run \`npm ci\` in ${here}`);
  }
}
const files = existsSync(documents) ? readdirSync(documents).filter((f) => f.endsWith(".json")).sort() : [];
if (files.length === 0) {
  fail(`no OpenAPI documents (*.json) in ${documents}`);
}

// Rules whose warnings are justified: listed in redocly.yaml as `<rule>: warn`, each under a comment giving the reason.
const justified = new Set(
  [...readFileSync(join(here, "redocly.yaml"), "utf8").matchAll(/^\s+([a-z0-9-]+):\s*warn\s*$/gm)].map((m) => m[1]),
);

const failures = [];
for (const file of files) {
  const name = basename(file, ".json");
  const lint = run(bin("redocly"), ["lint", join(documents, file), "--config", "redocly.yaml", "--format", "json", "--max-problems", "10000"]);
  let report;
  try {
    report = JSON.parse(lint.stdout.slice(lint.stdout.indexOf("{")));
  } catch {
    fail(`redocly lint of ${file} did not answer JSON:\n${lint.stdout}\n${lint.stderr}`);
  }
  const errors = report.problems.filter((p) => p.severity === "error");
  const warnings = report.problems.filter((p) => p.severity === "warn");
  const unjustified = warnings.filter((p) => !justified.has(p.ruleId));
  const rules = [...new Set(warnings.map((p) => p.ruleId))].join(", ") || "none";
  console.log(`lint ${name}: ${errors.length} errors, ${warnings.length} warnings (rules: ${rules})`);
  for (const problem of [...errors, ...unjustified]) {
    const where = problem.location?.[0]?.pointer ?? "";
    failures.push(`${name}: ${problem.severity} ${problem.ruleId} at ${where}: ${problem.message}`);
  }
}

const generated = join(here, "generated");
rmSync(generated, { recursive: true, force: true });
mkdirSync(generated, { recursive: true });
for (const file of files) {
  const name = basename(file, ".json");
  const result = run(bin("openapi-typescript"), [join(documents, file), "--output", join(generated, `${name}.ts`)]);
  if (result.status !== 0) {
    failures.push(`${name}: openapi-typescript failed:\n${result.stdout}\n${result.stderr}`);
  } else {
    console.log(`client ${name}: generated/${name}.ts`);
  }
}

const tsc = run(bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]);
if (tsc.status !== 0) {
  failures.push(`tsc --noEmit failed:\n${tsc.stdout}\n${tsc.stderr}`);
} else {
  console.log("typecheck: client programs compile against the generated clients");
}

if (failures.length > 0) {
  fail(`${failures.length} problem(s):\n${failures.join("\n")}`);
}
console.log(`openapi check passed: ${files.length} documents`);
