// Resolution rules on the real data (SPEC §3; the hardware issue's examples).
import { describe, expect, it } from "vitest";
import { refused, resolveFor } from "./support/render.js";
import type { RawRequest } from "../src/request/parse-request.js";

describe("choices", () => {
  it.each<[string, string[], Partial<RawRequest>, { cuda?: string; python?: string; version?: string; minDriver?: string; os?: string; cudnn?: string }]>([
    ["the default PyPI build", ["torch@1.9.0"], {}, { cuda: "10.2", python: "3.9", minDriver: "440.33", os: "ubuntu18.04" }],
    ["a partial version is the newest patch", ["torch@1.9"], {}, { version: "1.9.1" }],
    ["--gpu a100 needs Ampere kernels", ["torch@1.9.0"], { gpu: "a100" }, { cuda: "11.1" }],
    ["--gpu rtx3090 (sm_86)", ["torch@1.9.0"], { gpu: "rtx3090" }, { cuda: "11.1" }],
    ["--gpu as a compute capability", ["torch@1.9.0"], { gpu: "sm_80" }, { cuda: "11.1" }],
    ["--gpu several at once", ["torch@1.9.0"], { gpu: "v100,a100" }, { cuda: "11.1" }],
    ["--driver at the floor keeps cu102", ["torch@1.9.0"], { driver: "440.33" }, { cuda: "10.2" }],
    ["--cuda pins the build", ["torch@1.9.0"], { cuda: "11.1" }, { cuda: "11.1" }],
    ["--python pins Python", ["torch@1.9.0"], { python: "3.7" }, { python: "3.7" }],
    ["a Python uv cannot install comes from the OS", ["torch@1.9.0"], { python: "3.6" }, { python: "3.6", os: "ubuntu18.04" }],
    ["TensorFlow's tested configuration", ["tensorflow@2.5.0"], {}, { cuda: "11.2", cudnn: "8.1" }],
    ["the tf alias", ["tf@2.5.0"], {}, { cuda: "11.2" }],
    ["a bare CUDA environment", ["cuda@12.4"], {}, { cuda: "12.4" }],
  ])("%s", (_label, specs, opts, want) => {
    const res = resolveFor(specs, opts);
    if (want.cuda) expect(res.cuda).toBe(want.cuda);
    if (want.python) expect(res.plan.python.version).toBe(want.python);
    if (want.version) expect(res.builds[0]!.version).toBe(want.version);
    if (want.minDriver) expect(res.minDriver).toBe(want.minDriver);
    if (want.os) expect(res.plan.os.name).toBe(want.os);
    if (want.cudnn) expect(res.cudnn?.startsWith(want.cudnn)).toBe(true);
  });

  it("minDriver is the highest floor of the build and the base image", () => {
    const res = resolveFor(["torch@1.9.0"], { gpu: "a100" });
    expect(res.driverFloors[0]!.driver).toBe(res.minDriver);
    expect(res.driverFloors.length).toBeGreaterThan(1);
  });

  it("never puts a deleted tag in FROM", () => {
    const res = resolveFor(["torch@1.9.0"]);
    expect(res.image.startsWith("nvidia/cuda:10.")).toBe(false);
    expect(res.warnings.map((w) => w.code)).toContain("base-image-deleted");
  });
});

describe("refusals say what would work", () => {
  it("no torch 1.9.0 build drives an H100: names the versions that do", () => {
    const [p] = refused(["torch@1.9.0"], { gpu: "h100" });
    expect(p!.code).toBe("unsupported-gpu");
    expect(p!.message).toContain("no kernels for h100");
    expect(p!.alternatives!.length).toBeGreaterThan(0);
    expect(p!.alternatives!.every((v) => v === "…" || !v.startsWith("1.9"))).toBe(true);
  });

  it("a driver below every floor", () => {
    const [p] = refused(["torch@1.9.0"], { driver: "418.39" });
    expect(p!.code).toBe("driver-too-old");
    expect(p!.message).toContain("440.33");
  });

  it("an unknown GPU gets suggestions", () => {
    const [p] = refused(["torch@1.9.0"], { gpu: "a10o" });
    expect(p!.code).toBe("unknown-gpu");
    expect(p!.message).toMatch(/did you mean .*a10/);
  });

  it("a Python no build has", () => {
    const [p] = refused(["torch@1.9.0"], { python: "3.12" });
    expect(p!.code).toBe("no-python");
  });

  it("reports every problem of a request, not only the first", () => {
    const problems = refused(["torch@1.9.0", "jaxx"], { gpu: "nosuchgpu" });
    expect(problems.map((p) => p.code).sort()).toEqual(["unknown-framework", "unknown-gpu"]);
    const more = refused(["torch@1.9.0"], { gpu: "nosuchgpu", python: "x", driver: "y" });
    expect(more.length).toBe(3);
  });

  it("--variant base cannot carry a framework that loads the system CUDA", () => {
    const [p] = refused(["tensorflow@2.5.0"], { variant: "base" });
    expect(p!.message).toContain("--variant base carries no CUDA libraries");
  });
});

describe("several frameworks", () => {
  it("two frameworks that load different system CUDA versions conflict", () => {
    const problems = refused(["tensorflow@2.4.0", "paddle@2.6.1"], { cuda: "<11.2 || >11.8" });
    expect(problems[0]!.code).toMatch(/conflict|no-matching-build/);
  });

  it("torch and TensorFlow share one environment when they can", () => {
    const res = resolveFor(["torch@2.1", "tensorflow@2.13"]);
    expect(res.builds.map((b) => b.framework)).toEqual(["torch", "tensorflow"]);
    expect(res.cuda).toBe("11.8");
    // TensorFlow 2.13 was built with cuDNN 8.6 and accepts a later 8.x: the image's 8.9.6.
    expect(res.cudnn).toBe("8.9.6.50");
  });

  it("refuses frameworks whose pip CUDA wheels pin different versions", () => {
    const [p] = refused(["torch@2.1.2", "tensorflow@2.15.1"]);
    expect(p!.code).toBe("conflict");
    expect(p!.message).toMatch(/requires nvidia-[a-z0-9-]+==[0-9.]+ and .* requires nvidia-[a-z0-9-]+==[0-9.]+: pip cannot install both/);
  });

  it("refuses frameworks whose cuDNN wheels differ", () => {
    const [p] = refused(["torch@2.4", "tensorflow@2.17"]);
    expect(p!.message).toContain("needs cuDNN 9.1.0.70");
    expect(p!.message).toContain("pip cannot install both");
  });

  it("a JAX cuDNN floor is met by a newer pinned cuDNN", () => {
    const res = resolveFor(["torch@2.5.1", "jax@0.4.35"]);
    expect(res.builds.map((b) => b.framework)).toEqual(["torch", "jax"]);
  });
});
