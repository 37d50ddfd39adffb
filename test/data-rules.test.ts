// Issue 14's defect classes in the rules over the data: experimental Pythons, the driver floor of
// what was actually chosen, PTX from a CUDA that predates the GPU, and cuDNN floors.
import { describe, expect, it } from "vitest";
import { matrix } from "../src/matrix/data.js";
import { FRAMEWORK_NAMES } from "../src/matrix/lookup.js";
import { satisfies } from "../src/matrix/versions.js";
import { cudnnMatches } from "../src/resolve/plan-base.js";
import { refused, resolveFor } from "./support/render.js";

describe("experimental Pythons (class 1)", () => {
  it.each([
    ["torch@2.2.2", "3.11"],
    ["torch@2.3.1", "3.11"],
    ["torch@2.5.1", "3.12"],
    ["torch@2.9.1", "3.13"],
  ])("%s defaults to Python %s, the newest it officially supports", (spec, python) => {
    const res = resolveFor([spec]);
    expect(res.plan.python.version).toBe(python);
    expect(res.warnings.map((w) => w.code)).not.toContain("python-experimental");
  });
  it("--python may still pick an experimental one, with a warning", () => {
    const res = resolveFor(["torch@2.5.1"], { python: "3.13" });
    expect(res.plan.python.version).toBe("3.13");
    expect(res.warnings.find((w) => w.code === "python-experimental")?.message).toContain("newest officially supported Python is 3.12");
  });
  it("every rule names Pythons that the releases it covers list", () => {
    for (const rule of matrix.experimentalPython.rules) {
      const releases = matrix.frameworks[rule.framework]!.releases.filter((r) => satisfies(r.version, rule.versions));
      expect(releases.length, `${rule.framework} ${rule.versions}`).toBeGreaterThan(0);
      for (const r of releases) for (const p of rule.python) expect(r.python, `${rule.framework} ${r.version}`).toContain(p);
    }
  });
  it("no release is left with only experimental Pythons", () => {
    for (const fw of FRAMEWORK_NAMES) {
      for (const r of matrix.frameworks[fw]?.releases ?? []) {
        const exp = matrix.experimentalPython.rules.filter((x) => x.framework === fw && satisfies(r.version, x.versions)).flatMap((x) => x.python);
        expect(r.python.some((p) => !exp.includes(p)), `${fw} ${r.version}`).toBe(true);
      }
    }
  });
});

describe("the driver floor is that of what was chosen (class 2)", () => {
  it("--driver 550.54.14 (CUDA 12.4 GA) keeps torch 2.5.1 on CUDA 12.4 with the 12.4.0 image", () => {
    const res = resolveFor(["torch@2.5.1"], { driver: "550.54.14" });
    expect(res.cuda).toBe("12.4");
    expect(res.image).toBe("nvidia/cuda:12.4.0-base-ubuntu22.04");
    expect(res.minDriver).toBe("550.54.14");
  });
  it("without --driver the newest patch is chosen, and minDriver is its floor", () => {
    const res = resolveFor(["torch@2.5.1"]);
    expect(res.image).toBe("nvidia/cuda:12.4.1-base-ubuntu22.04");
    expect(res.minDriver).toBe("550.54.15");
  });
  it("--driver 570.26 (CUDA 12.8 GA) is not refused for torch 2.7.1+cu128", () => {
    const res = resolveFor(["torch@2.7.1"], { cuda: "12.8", driver: "570.26" });
    expect(res.minDriver).toBe("570.26");
    expect(res.warnings.map((w) => w.code)).not.toContain("driver-floor-high");
  });
  it("a --driver that meets the floor gets no warning about the 535 branch", () => {
    expect(resolveFor(["torch@2.5.1"], { driver: "560.35.03" }).warnings.map((w) => w.code)).not.toContain("driver-floor-high");
    expect(resolveFor(["torch@2.5.1"]).warnings.map((w) => w.code)).toContain("driver-floor-high");
  });
});

describe("PTX counts only where the build's CUDA knows the GPU (class 4)", () => {
  it("torch --gpu a100 never lands on a CUDA 10 build", () => {
    const [p] = refused(["torch@1.5.1"], { gpu: "a100" });
    expect(p!.message).toMatch(/its PTX does not count: CUDA 10\.2 predates sm_80/);
    expect(refused(["torch@<1.7"], { gpu: "a100" })[0]!.code).toBe("unsupported-gpu");
    expect(Number(resolveFor(["torch@1.9.0"], { gpu: "a100" }).cuda.split(".")[0])).toBeGreaterThanOrEqual(11);
  });
  it("a CUDA 11.8 build's PTX still counts for Hopper, which 11.8 knows", () => {
    expect(() => resolveFor(["torch@2.0.1"], { gpu: "h100", cuda: "11.8" })).not.toThrow();
  });
});

describe("cuDNN requirements that are floors match as floors (class 6)", () => {
  it.each([
    ["8.6.0", "8.2", true, true],
    ["8.2.4", "8.2", true, true],
    ["8.1.1", "8.2", true, false],
    ["9.1.0", "8.2", true, false],
    ["8.6.0", "8.2", false, false],
    ["8.2.4", "8.2", false, true],
  ])("have %s, need %s (floor %s): %s", (have, need, floor, ok) => expect(cudnnMatches(have, need, floor)).toBe(ok));
});

describe("GPUs have first drivers (class 3)", () => {
  it("--gpu b200 --driver 470.57.02 is refused, naming the first driver and its source", () => {
    const [p] = refused(["torch"], { gpu: "b200", driver: "470.57.02" });
    expect(p!.code).toBe("driver-too-old");
    expect(p!.message).toMatch(/--driver 470\.57\.02 cannot drive b200 \(B200, sm_100\): NVIDIA's first driver for it is 570/);
    expect(p!.message).toContain("https://");
  });
  it.each([["a100", "450.80.02"], ["h100", "535.54.03"], ["rtx4090", "525.60.13"], ["b200", "570.86.15"]])("--gpu %s --driver %s resolves", (gpu, driver) => {
    expect(() => resolveFor(["torch"], { gpu, driver })).not.toThrow();
  });
  it("every recorded floor has a source", () => {
    for (const g of matrix.gpus.gpus) if (g.minDriver) expect(g.minDriverSource, g.id).toMatch(/^https:\/\//);
  });
});
