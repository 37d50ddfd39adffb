// --gpu auto on arm64 hosts (issue 19): the machine architecture or a Grace GPU selects
// --platform linux/arm64 and the lock records it; an explicit --platform linux/amd64 with a Grace
// GPU and a Jetson host are refused, writing nothing. doctor on an arm64 host lists only stacks
// with aarch64 CUDA wheels.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { matrix } from "../src/matrix/data.js";
import { arm64GpuByName, hostPlatform, hostStacks } from "../src/commands/host-stacks.js";
import { platformReason } from "../src/resolve/platform.js";
import { candidatesFor } from "../src/resolve/candidates.js";
import type { Request } from "../src/request/types.js";
import { inspectDir, ROOT } from "./doctor/support.js";
import { cli, tempDir } from "./support/cli.js";

const host = (name: string) => join(ROOT, "fixtures/arm64-hosts", name);
const lockOf = (dir: string) => JSON.parse(readFileSync(join(dir, "cuda-scaffold.lock.json"), "utf8"));

/** A capture of an aarch64 server with a PCIe GPU (no Grace): only uname names the architecture. */
function aarch64WithPcieGpu(): string {
  const dir = join(tempDir("cs-arm-host-"), "host");
  mkdirSync(dir);
  writeFileSync(join(dir, "host-info.txt"), "Linux altra-01 6.8.0-60-generic-64k #63-Ubuntu SMP PREEMPT_DYNAMIC Tue Apr 15 19:04:15 UTC 2025 aarch64 aarch64 aarch64 GNU/Linux\n");
  writeFileSync(join(dir, "query-gpu.csv"), "name, driver_version, compute_cap, memory.total [MiB], pci.bus_id, uuid\nNVIDIA H100 PCIe, 580.95.05, 9.0, 81559 MiB, 00000004:01:00.0, GPU-0005a100-6700-2d00-b100-0055e3fb2399\n");
  return dir;
}

describe("Grace GPUs by the name nvidia-smi prints", () => {
  it.each<[string, string | undefined]>([
    ["NVIDIA GH200 480GB", "gh200"],
    ["NVIDIA GH200 144G HBM3e", "gh200"],
    ["NVIDIA GB200", "gb200"],
    ["NVIDIA GB10", "gb10"],
    ["NVIDIA GB100", undefined],
    ["NVIDIA H100 80GB HBM3", undefined],
    ["NVIDIA H200", undefined],
  ])("%s", (name, id) => {
    expect(arm64GpuByName(matrix, name)?.id).toBe(id);
  });
});

describe("the platform a host's stack targets", () => {
  it.each<[string, { machine?: string; jetson?: boolean; gpus: { name: string; computeCapability: string | null }[] }, string | null]>([
    ["x86_64", { machine: "x86_64", gpus: [{ name: "NVIDIA H200", computeCapability: "9.0" }] }, "linux/amd64"],
    ["aarch64 with a PCIe GPU", { machine: "aarch64", gpus: [{ name: "NVIDIA H100 PCIe", computeCapability: "9.0" }] }, "linux/arm64"],
    ["a GH200 whose architecture is not captured", { gpus: [{ name: "NVIDIA GH200 480GB", computeCapability: null }] }, "linux/arm64"],
    ["nothing known", { gpus: [] }, null],
    ["Jetson", { machine: "aarch64", jetson: true, gpus: [{ name: "Orin (nvgpu)", computeCapability: null }] }, null],
  ])("%s", (_what, facts, platform) => {
    expect(hostPlatform(matrix, facts)).toBe(platform);
  });
});

describe("the GH200 capture (nvidia-smi -q -x, query CSV, uname aarch64)", () => {
  it("reads the XML: driver, CUDA, the GPU with its bus id, memory and architecture", async () => {
    const facts = await inspectDir(host("gh200"));
    expect(facts).toMatchObject({ driver: "580.95.05", cuda: "13.0", kernelModule: "open", machine: "aarch64" });
    expect(facts.gpus).toEqual([{ name: "NVIDIA GH200 480GB", computeCapability: "9.0", memoryMiB: 97871, busId: "00000009:01:00.0", architecture: "Hopper" }]);
    expect(facts.probes.filter((p) => p.source === "nvidia-smi-xml")).toEqual([{ source: "nvidia-smi-xml", ok: true }]);
  });

  it("doctor --json: platform linux/arm64, and every stack it lists has aarch64 CUDA wheels", () => {
    const r = cli(["doctor", "--from", host("gh200"), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.platform).toBe("linux/arm64");
    const torch = out.canRun.find((s: { framework: string }) => s.framework === "torch");
    expect(torch.newest).not.toBeNull();
    expect(out.missing).toEqual([]);
  });

  it("the arm64 list is the amd64 list less the builds without aarch64 wheels", () => {
    const arm = { platform: "linux/arm64" } as Request;
    for (const [a, x] of hostStacks(matrix, "580.95.05", ["9.0"], "linux/arm64").map((s, i) => [s, hostStacks(matrix, "580.95.05", ["9.0"], "linux/amd64")[i]!] as const)) {
      expect(a.cudaBuilds.every((c) => x.cudaBuilds.includes(c)), a.framework).toBe(true);
      if (!a.newest) continue;
      const build = candidatesFor({ name: a.framework as "torch", range: null }, matrix, []).find((b) => b.label === a.newest!.label && b.cuda === a.newest!.cuda);
      expect(build && platformReason(build, arm, matrix), a.newest.label).toBeNull();
    }
  });

  it("doctor's report says so", () => {
    const r = cli(["doctor", "--from", host("gh200")]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("platform linux/arm64 (aarch64)");
  });
});

describe("--gpu auto on an arm64 host", () => {
  it("torch@2.9.0 --gpu auto --host-from <GH200>: an arm64 stack, and the lock records the platform", () => {
    const out = tempDir("cs-arm-auto-");
    const r = cli(["torch@2.9.0", "--gpu", "auto", "--host-from", host("gh200"), "--name", "grace", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const lock = lockOf(out);
    expect(lock.request.platform).toBe("linux/arm64");
    expect(lock.request.gpu).toEqual(["gh200"]);
    expect(readFileSync(join(out, "Dockerfile"), "utf8")).toContain("FROM --platform=linux/arm64 ");
    const c = cli(["check", "--out", out]);
    expect(c.code, c.stdout + c.stderr).toBe(0);
  });

  it("resolve --json: --gpu auto on the GH200 capture answers as --gpu gh200 does", () => {
    const auto = cli(["resolve", "torch@2.9.0", "--gpu", "auto", "--host-from", host("gh200"), "--json"]);
    const named = cli(["resolve", "torch@2.9.0", "--gpu", "gh200", "--json"]);
    expect(auto.code, auto.stderr).toBe(0);
    expect(JSON.parse(auto.stdout)).toEqual(JSON.parse(named.stdout));
  });

  it("an aarch64 server with a PCIe GPU: the architecture alone selects linux/arm64", () => {
    const out = tempDir("cs-arm-auto-");
    const r = cli(["torch@2.9.0", "--gpu", "auto", "--host-from", aarch64WithPcieGpu(), "--name", "altra", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(lockOf(out).request).toMatchObject({ platform: "linux/arm64", gpu: ["sm_90"] });
  });

  it("an explicit --platform linux/amd64 is kept for a PCIe GPU (a cross build)", () => {
    const out = tempDir("cs-arm-auto-");
    const r = cli(["torch@2.9.0", "--gpu", "auto", "--platform", "linux/amd64", "--host-from", aarch64WithPcieGpu(), "--name", "altra", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(lockOf(out).request.platform).toBeUndefined();
  });

  it.each<[string, string[], RegExp]>([
    ["--platform linux/amd64 with a GH200", ["--gpu", "auto", "--platform", "linux/amd64", "--host-from", host("gh200")], /gh200.*arm64/],
    ["a Jetson, --gpu auto", ["--gpu", "auto", "--host-from", host("jetson-orin")], /Jetson \(L4T\)[\s\S]*L4T-based images/],
    ["a Jetson, --driver auto", ["--driver", "auto", "--host-from", host("jetson-orin")], /--driver auto: this host is a Jetson/],
  ])("%s: refused, exit 1, nothing written", (_what, args, message) => {
    const out = tempDir("cs-arm-auto-");
    const r = cli(["torch@2.9.0", ...args, "--out", out]);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(readdirSync(out)).toEqual([]);
  });
});
