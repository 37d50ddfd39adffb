// `cuda-scaffold doctor` end to end on the real capture and the synthetic hosts, and the
// --gpu auto / --driver auto values the main command takes from a host.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cli, tempDir } from "./support/cli.js";
import { ROOT, SHARED, hasShared } from "./support/shared.js";

const REAL = join(SHARED, "real-hosts/h200-driver580");
const host = (name: string) => join(ROOT, "fixtures/hosts", name);

describe.skipIf(!hasShared)("doctor on the real H200 capture", () => {
  it("reports driver 580.159.04, CUDA 13.0 and one NVIDIA H200 with compute capability 9.0", () => {
    const r = cli(["doctor", "--from", REAL, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ driver: "580.159.04", cuda: "13.0", kernelModule: "open" });
    expect(out.gpus).toHaveLength(1);
    expect(out.gpus[0]).toMatchObject({ name: "NVIDIA H200", computeCapability: "9.0" });
    const torch = out.canRun.find((s: { framework: string }) => s.framework === "torch");
    expect(torch.newest.cuda).toBe("13.0");
  });

  it("prints a compact report", () => {
    const r = cli(["doctor", "--from", REAL]);
    expect(r.stdout).toContain("driver   580.159.04 (open kernel module), CUDA 13.0 or older");
    expect(r.stdout).toContain("gpu      NVIDIA H200 · sm_90");
  });

  it("--gpu auto and --driver auto take the host's values, and the lock records them", () => {
    const dir = tempDir();
    const r = cli(["torch@2.5.1", "--gpu", "auto", "--driver", "auto", "--host-from", REAL, "--out", dir, "--name", "demo"]);
    expect(r.code, r.stderr).toBe(0);
    const lock = JSON.parse(readFileSync(join(dir, "cuda-scaffold.lock.json"), "utf8"));
    expect(lock.request.gpu).toEqual(["sm_90"]);
    expect(lock.request.driver).toBe("580.159.04");
  });
});

describe("doctor on synthetic hosts", () => {
  it.each<[string, (out: any) => void]>([
    ["driver470", (out) => {
      expect(out.driver).toMatch(/^470\./);
      expect(out.gpus.every((g: any) => g.computeCapability === "7.0" && g.computeCapabilitySource === "matrix")).toBe(true);
      const torch = out.canRun.find((s: any) => s.framework === "torch");
      expect(Number(torch.newest.cuda.split(".")[0])).toBeLessThanOrEqual(11);
      expect(out.missing.map((m: any) => m.id)).toContain("docker-nvidia-runtime");
    }],
    ["no-compute-cap", (out) => {
      expect(out.gpus[0].computeCapability).toBe("8.0");
      expect(out.gpus[0].computeCapabilitySource).toBe("matrix");
      expect(out.missing.map((m: any) => m.id)).toContain("container-toolkit");
    }],
    ["multi-gpu", (out) => {
      expect(out.gpus.length).toBeGreaterThan(1);
      expect(new Set(out.gpus.map((g: any) => g.computeCapability))).toEqual(new Set(["8.0", "8.9"]));
    }],
    ["no-gpu", (out) => {
      expect(out.gpus).toEqual([]);
    }],
    ["no-nvidia-smi", (out) => {
      expect(out.driver).toBeNull();
      expect(out.canRun).toEqual([]);
      expect(out.missing[0].id).toBe("driver");
      expect(out.missing[0].fix).toMatch(/\S/);
    }],
  ])("%s", (name, check) => {
    const r = cli(["doctor", "--from", host(name), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    check(JSON.parse(r.stdout));
  });

  it("--driver auto on a host without a driver is a clear refusal", () => {
    const r = cli(["resolve", "torch", "--driver", "auto", "--host-from", host("no-nvidia-smi")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--driver auto: no NVIDIA driver found");
  });

  it("a --from that is not a folder is refused", () => {
    const r = cli(["doctor", "--from", join(ROOT, "package.json")]);
    expect(r.code).toBe(1);
  });
});

describe("doctor's report, as a person reads it", () => {
  const hosts = ["driver470", "hgx-fabric-not-ready", "multi-gpu", "no-compute-cap", "no-gpu", "no-nvidia-smi", "driver-not-loaded", "podman-cdi-fresh", "podman-cdi-stale", "podman-compose-docker", "wsl1", "wsl2-driver537", "wsl2-no-driver"];
  it.each(hosts)("%s", async (name) => {
    const r = cli(["doctor", "--from", `fixtures/hosts/${name}`], ROOT);
    expect(r.code, r.stderr).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot(`../fixtures/doctor/${name}.txt`);
  });

  it.skipIf(!hasShared)("the real H200 capture", async () => {
    const r = cli(["doctor", "--from", "../shared/real-hosts/h200-driver580"], ROOT);
    await expect(r.stdout).toMatchFileSnapshot("../fixtures/doctor/h200-driver580.txt");
  });
});
