// doctor --network against servers on 127.0.0.1 that answer, hang and refuse: each probe is bounded
// by --timeout, the whole check by about one timeout, and the report says which endpoints failed and
// which mirrors would help. Every endpoint is pointed at a local server by a mirror file, so no
// request leaves this machine.
import { createServer, type Server } from "node:http";
import { createServer as createNetServer } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { matrix } from "../src/matrix/data.js";
import { BIN } from "./support/cli.js";
import { mirrorSet } from "../src/mirrors/mirror-set.js";
import { checkNetwork, reportLines, type EndpointReport } from "../src/mirrors/network-check.js";
import type { MirrorChoice } from "../src/mirrors/types.js";
import { probe } from "../src/mirrors/probe.js";

let answering: Server;
let hanging: Server;
let refusedPort = 0;
const held: import("node:http").ServerResponse[] = [];
const portOf = (s: Server) => (s.address() as import("node:net").AddressInfo).port;

beforeAll(async () => {
  answering = createServer((req, res) => {
    res.writeHead(req.url?.startsWith("/v2/") ? 401 : 200, { "content-type": "text/plain" });
    res.end("ok\n");
  });
  // Accepts the connection and never answers.
  hanging = createServer((_req, res) => void held.push(res));
  await Promise.all([answering, hanging].map((s) => new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve))));
  // A port nothing listens on: bound, closed, so the kernel refuses connections to it.
  const probeServer = createNetServer();
  await new Promise<void>((resolve) => probeServer.listen(0, "127.0.0.1", resolve));
  refusedPort = (probeServer.address() as import("node:net").AddressInfo).port;
  await new Promise<void>((resolve) => probeServer.close(() => resolve()));
});

afterAll(async () => {
  for (const res of held) res.destroy();
  hanging.closeAllConnections();
  await Promise.all([answering, hanging].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** Every endpoint on a local server: hanging ones on `hang`, refused ones on `refuse`, the rest answer. */
function localChoice(hang: string[], refuse: string[]): MirrorChoice {
  const endpoints: MirrorChoice["endpoints"] = {};
  for (const e of matrix.mirrors.endpoints) {
    const port = hang.includes(e.id) ? portOf(hanging) : refuse.includes(e.id) ? refusedPort : portOf(answering);
    endpoints[e.id] = e.kind === "registry" ? `127.0.0.1:${port}` : `http://127.0.0.1:${port}/${e.id}`;
  }
  return { kind: "file", source: "local.yaml", endpoints, uv: "image", registryMirrors: [`http://127.0.0.1:${portOf(answering)}`], allowInsecure: true };
}

describe("probe", () => {
  it("an answering server: its status, quickly", async () => {
    const r = await probe(`http://127.0.0.1:${portOf(answering)}/simple/`, 2000);
    expect(r).toMatchObject({ state: "answers", status: 200 });
  });
  it("a hanging server: a timeout after the bound, not later", async () => {
    const started = Date.now();
    const r = await probe(`http://127.0.0.1:${portOf(hanging)}/`, 300);
    expect(r.state).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(2000);
  });
  it("a refused connection", async () => {
    expect((await probe(`http://127.0.0.1:${refusedPort}/`, 2000)).state).toBe("refused");
  });
});

describe("checkNetwork", () => {
  it("probes every endpoint at once, each bounded, and names the state of each", async () => {
    const ms = mirrorSet(matrix, localChoice(["ghcr", "python-builds"], ["container-toolkit"]));
    const started = Date.now();
    const reports = await checkNetwork(matrix, ms, 1500, true);
    // All at once: about one timeout in all, not one per endpoint (15 of them).
    expect(Date.now() - started).toBeLessThan(6000);
    const state = Object.fromEntries(reports.map((r) => [r.id === "registry-mirror" ? "registry-mirror" : r.id, r.state]));
    expect(state.ghcr).toBe("timeout");
    expect(state["python-builds"]).toBe("timeout");
    expect(state["container-toolkit"]).toBe("refused");
    expect(state.pypi).toBe("answers");
    expect(state["registry-mirror"]).toBe("answers");
    expect(reports.find((r) => r.id === "docker-hub")).toMatchObject({ url: `http://127.0.0.1:${portOf(answering)}/v2/`, status: 401 });
    expect(reports).toHaveLength(matrix.mirrors.endpoints.length + 1);
  });
});

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Asynchronous: the local servers answer from this process, so it must not block while the CLI runs.
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("cuda-scaffold doctor --network", () => {
  const dir = mkdtempSync(join(tmpdir(), "cs-net-"));
  const mirrorFile = (hang: string[], refuse: string[]) => {
    const choice = localChoice(hang, refuse);
    const path = join(dir, `m-${hang.length}-${refuse.length}.yaml`);
    const lines = ["endpoints:", ...Object.entries(choice.endpoints).map(([id, url]) => `  ${id}: ${url}`), "registry-mirrors:", ...choice.registryMirrors.map((u) => `  - ${u}`)];
    writeFileSync(path, `${lines.join("\n")}\n`);
    return path;
  };

  it("reports each endpoint, the ones that did not answer, and where to look next", async () => {
    const file = mirrorFile(["pytorch"], ["ubuntu"]);
    const started = Date.now();
    const r = await runCli(["doctor", "--network", "--mirror", file, "--allow-insecure-mirror", "--timeout", "2000"]);
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.stdout).toMatch(/✘ pytorch +http:\/\/127\.0\.0\.1:\d+\/pytorch\/ +no answer within 2000 ms/);
    expect(r.stdout).toMatch(/✘ ubuntu +http:\/\/127\.0\.0\.1:\d+\/ubuntu\/ +connection refused/);
    expect(r.stdout).toMatch(/✔ pypi +http:\/\/127\.0\.0\.1:\d+\/pypi\/ +answers \(HTTP 200/);
    expect(r.stdout).toContain("2 endpoints did not answer: pytorch, ubuntu.");
    expect(r.stdout).toContain(`these are the mirrors of --mirror ${file}`);
  });

  it("--json: one object, ok only when every endpoint answered", async () => {
    const r = await runCli(["doctor", "--network", "--mirror", mirrorFile([], []), "--allow-insecure-mirror", "--timeout", "5000", "--json"]);
    const out = JSON.parse(r.stdout) as { ok: boolean; endpoints: { id: string; state: string }[] };
    expect(out.ok).toBe(true);
    expect(out.endpoints.every((e) => e.state === "answers")).toBe(true);
  });

  it("without --mirror, the advice names the preset that has mirrors for what failed (a report made here, no network)", () => {
    const ms = mirrorSet(matrix, null);
    const reports: EndpointReport[] = matrix.mirrors.endpoints.map((e) => ({
      id: e.id,
      what: e.what,
      mirrored: false,
      url: e.probe,
      ms: 5000,
      ...(["pypi", "ghcr", "jax-releases"].includes(e.id) ? { state: "timeout" as const, detail: "no answer within 5000 ms" } : { state: "answers" as const, status: 200 }),
    }));
    const text = reportLines(matrix, reports, ms, 5000).join("\n");
    expect(text).toContain("3 endpoints did not answer: ghcr, pypi, jax-releases.");
    expect(text).toContain("--mirror cn (well-known public mirrors in mainland China) has mirrors for pypi: check them with `cuda-scaffold doctor --network --mirror cn`");
    expect(text).toContain("--mirror ./mirrors.yaml");
  });

  it.each([
    [["doctor", "--network", "--timeout", "5"], "--timeout \"5\" is not a number of milliseconds from 100 to 60000."],
    [["doctor", "--network", "--mirror", "nope"], "--mirror \"nope\" is not a mirror preset"],
    [["doctor", "--mirror", "cn"], "--mirror, --allow-insecure-mirror and --timeout apply to doctor --network only."],
  ])("refuses %j with exit 1", async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
  });
});
