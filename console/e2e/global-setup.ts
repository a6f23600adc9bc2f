// Starts the embedded platform (one process: all five services, SQLite, the SMS stub, and the console's build at
// /console/) on a free port with a fresh data directory, and stops it after the run. The tests find it in
// EXAMREVIEW_URL. It needs `dotnet build src/AppHost/ExamReview.Embedded` and `npm run build` first (test.sh does both).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repo = resolve(import.meta.dirname, "..", "..");

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => done(port));
    });
  });
}

export default async function globalSetup() {
  if (process.env.EXAMREVIEW_URL) {
    return; // a platform someone already started
  }
  const dll = join(repo, "src/AppHost/ExamReview.Embedded/bin/Debug/net10.0/ExamReview.Embedded.dll");
  if (!existsSync(dll)) {
    throw new Error(`${dll} is missing: dotnet build src/AppHost/ExamReview.Embedded first`);
  }
  if (!existsSync(join(repo, "console/dist/index.html"))) {
    throw new Error("console/dist is missing: npm run build first");
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "examreview-e2e-"));
  const child = spawn("dotnet", [dll, "--port", String(port), "--data-dir", dataDir], {
    cwd: repo,
    env: { ...process.env, ASPNETCORE_ENVIRONMENT: "Production", DOTNET_NOLOGO: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const ready = new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`the embedded platform did not get ready in 150 s:\n${output.slice(-40).join("")}`)), 150_000);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      const match = /ReviewerConsole (http:\/\/\S+)\/console\//.exec(text);
      if (match?.[1]) {
        clearTimeout(timer);
        done(match[1]);
      }
      if (/ReviewerConsole not built/.test(text)) {
        clearTimeout(timer);
        fail(new Error("the embedded platform found no console build"));
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`the embedded platform exited (${code}):\n${output.slice(-40).join("")}`));
    });
  });
  process.env.EXAMREVIEW_URL = await ready;
  return async () => {
    child.kill("SIGTERM");
    await new Promise((done) => {
      const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.once("exit", () => {
        clearTimeout(force);
        done(null);
      });
    });
    rmSync(dataDir, { recursive: true, force: true });
  };
}
