// probeHost on a live host whose PATH we control: no tools at all, tools that hang, tools that
// fail, and stand-ins that print the multi-gpu captures; and probeHost on folders.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.js";
import { inspectHost } from "../../src/doctor/inspect.js";
import { LIVE_COMMANDS } from "../../src/doctor/probe-live.js";
import { probeHost } from "../../src/doctor/probe.js";
import { HOSTS } from "./support.js";

const TOOLS = ["nvidia-smi", "nvcc", "docker", "nvidia-ctk", "mokutil", "podman", "getenforce", "getsebool", "podman-compose"];
const COMMAND_SOURCES = Object.keys(LIVE_COMMANDS);
const dirs: string[] = [];

/** A folder holding one shell script per tool, each running `body`. */
function binDir(body: (tool: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "doctor-bin-"));
  dirs.push(dir);
  for (const tool of TOOLS) {
    const file = join(dir, tool);
    writeFileSync(file, `#!/bin/sh\nPATH=/usr/bin:/bin\n${body(tool)}\n`);
    chmodSync(file, 0o755);
  }
  return dir;
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Still running: exists and is not a zombie (an orphan waits for a PID 1 that may never reap it). */
function isRunning(pid: number): boolean {
  if (existsSync("/proc/self/stat")) {
    if (!existsSync(`/proc/${pid}/stat`)) return false;
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("probeHost on a live host", () => {
  it("records every missing tool as absent, without throwing", async () => {
    const empty = mkdtempSync(join(tmpdir(), "doctor-empty-"));
    dirs.push(empty);
    const raw = await probeHost({ env: { PATH: empty }, timeoutMs: 2000 });
    for (const source of COMMAND_SOURCES) {
      expect(raw.outputs[source as keyof typeof raw.outputs]).toMatchObject({ ok: false, absent: "tool", reason: expect.stringMatching(/not found on PATH$/) });
    }
    const facts = inspectHost(raw);
    expect(facts).toMatchObject({ gpus: [], docker: { state: "not-installed" }, containerToolkit: { installed: false } });
    expect(facts.kernel).toBeTruthy(); // uname comes from Node, not from a tool
  });

  it("bounds a tool that hangs by the timeout, and kills what it started", async () => {
    const pids = mkdtempSync(join(tmpdir(), "doctor-pids-"));
    dirs.push(pids);
    // the script backgrounds a sleep that holds stdout open, so only killing the group ends it
    const bin = binDir((tool) => `sleep 30 &\necho $! > ${pids}/${tool}\nwait`);
    const started = Date.now();
    const raw = await probeHost({ env: { PATH: bin }, timeoutMs: 400 });
    expect(Date.now() - started).toBeLessThan(3000);
    for (const source of COMMAND_SOURCES) {
      expect(raw.outputs[source as keyof typeof raw.outputs]?.reason).toMatch(/timed out after 400 ms$/);
    }
    await new Promise((r) => setTimeout(r, 200));
    for (const tool of TOOLS) {
      const pid = Number(readFileSync(join(pids, tool), "utf8"));
      expect(isRunning(pid), `${tool}'s sleep (pid ${pid}) still runs`).toBe(false);
    }
  });

  it("records a non-zero exit with the tool's message, and still parses what it printed", async () => {
    const bin = binDir((tool) => (tool === "nvidia-smi" ? 'echo "No devices were found"; exit 6' : `echo "${tool}: broken" >&2; exit 3`));
    const raw = await probeHost({ env: { PATH: bin }, timeoutMs: 2000 });
    expect(raw.outputs["nvidia-smi-xml"]).toEqual({ ok: false, text: "No devices were found\n", reason: "nvidia-smi -q -x: exited with 6: No devices were found" });
    expect(raw.outputs["docker-info"]?.reason).toBe("docker info --format {{json .}}: exited with 3: docker: broken");
    const facts = inspectHost(raw);
    expect(facts.gpus).toEqual([]);
    expect(facts.docker).toMatchObject({ state: "unknown", error: expect.stringContaining("docker: broken") });
  });

  it("runs the real commands and parses their output (stand-ins printing the multi-gpu captures)", async () => {
    const cap = join(HOSTS, "multi-gpu");
    const bin = binDir((tool) => {
      if (tool === "nvidia-smi") return `case "$1" in\n  -q) cat ${cap}/nvidia-smi-q.xml ;;\n  --query-gpu=*) cat ${cap}/query-gpu.csv ;;\n  *) cat ${cap}/nvidia-smi.txt ;;\nesac`;
      if (tool === "nvcc") return `sed -n '4,8p' ${cap}/host-info.txt`;
      const file = { docker: "docker-info.json", "nvidia-ctk": "nvidia-ctk-version.txt", mokutil: "mokutil.txt" }[tool];
      return `cat ${cap}/${file}`;
    });
    const facts = inspectHost(await probeHost({ env: { PATH: bin }, timeoutMs: 5000 }));
    expect(facts).toMatchObject({ driver: "570.172.08", cuda: "12.8", nvcc: "12.8.93", secureBoot: false, containerToolkit: { installed: true, version: "1.17.8" } });
    expect(facts.gpus.map((g) => `${g.name} ${g.computeCapability}`)).toEqual([
      "NVIDIA A100 80GB PCIe 8.0", "NVIDIA A100 80GB PCIe 8.0", "NVIDIA L40S 8.9",
      "NVIDIA RTX 6000 Ada Generation 8.9", "NVIDIA A100 80GB PCIe 8.0", "NVIDIA A100 80GB PCIe 8.0",
    ]);
    expect(facts.docker).toMatchObject({ state: "running", nvidiaRuntime: true });
  });
});

describe("probeHost on a live Podman host", () => {
  it("runs podman info, getenforce and getsebool (stand-ins printing the podman-cdi-stale captures)", async () => {
    const cap = join(HOSTS, "podman-cdi-stale");
    const files: Record<string, string> = { podman: "podman-info.json", getenforce: "getenforce.txt", getsebool: "getsebool.txt" };
    const bin = binDir((tool) => (files[tool] ? `cat ${cap}/${files[tool]}` : `echo "bash: ${tool}: command not found" >&2; exit 127`));
    const raw = await probeHost({ env: { PATH: bin }, timeoutMs: 5000 });
    expect(LIVE_COMMANDS["podman-info"]).toEqual(["podman", ["info", "--format", "json"]]);
    expect(LIVE_COMMANDS.getsebool).toEqual(["getsebool", ["container_use_devices"]]);
    expect(raw.cdi).toBeDefined(); // the live CDI folders are always looked at (absent ones hold no spec)
    const facts = inspectHost(raw);
    expect(facts.podman).toMatchObject({ state: "installed", version: "5.4.0", rootless: true });
    expect(facts.selinux).toEqual({ mode: "enforcing", containerUseDevices: false });
    expect(facts.cdi.checked).toBe(true);
  });
});

describe("probeHost from a folder", () => {
  it("reads any subset: absent files are not captured, not failures of the host", async () => {
    const raw = await probeHost({ from: join(HOSTS, "no-nvidia-smi") });
    expect(raw.origin).toBe("dir");
    expect(raw.outputs["nvidia-smi-xml"]).toEqual({ ok: false, text: "", reason: "not captured (no nvidia-smi-q.xml)", absent: "capture" });
    expect(raw.outputs["os-release"]?.ok).toBe(true);
  });

  it("refuses a folder that does not exist, as a user error", async () => {
    await expect(probeHost({ from: join(HOSTS, "no-such-host") })).rejects.toBeInstanceOf(UserError);
  });
});
