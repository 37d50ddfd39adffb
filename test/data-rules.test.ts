// Issue 14's defect classes in the rules over the data: experimental Pythons, the driver floor of
// what was actually chosen, PTX from a CUDA that predates the GPU, and cuDNN floors.
import { describe, expect, it } from "vitest";
import { matrix } from "../src/matrix/data.js";
import { FRAMEWORK_NAMES } from "../src/matrix/lookup.js";
import { satisfies } from "../src/matrix/versions.js";
import { cudnnMatches } from "../src/resolve/plan-base.js";
import { refused, renderFor, resolveFor } from "./support/render.js";
import type { Matrix } from "../src/matrix/data.js";
import { parseRequest, type RawRequest } from "../src/request/parse-request.js";
import { resolveStack } from "../src/resolve/resolve-stack.js";

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

describe("system-library builds NVIDIA never published an exact image for run on a later minor (class 6, Paddle cu112/cu120)", () => {
  it.each<[string, string, { cuda: string; image: string; cudnn: string; minDriver: string }]>([
    ["paddle@2.4.2", "11.2", { cuda: "11.3", image: "nvidia/cuda:11.3.1-cudnn8-runtime-ubuntu20.04", cudnn: "8.2.1.32", minDriver: "465.19.01" }],
    ["paddle@2.5.2", "11.2", { cuda: "11.3", image: "nvidia/cuda:11.3.1-cudnn8-runtime-ubuntu20.04", cudnn: "8.2.1.32", minDriver: "465.19.01" }],
    ["paddle@2.6.2", "11.2", { cuda: "11.3", image: "nvidia/cuda:11.3.1-cudnn8-runtime-ubuntu20.04", cudnn: "8.2.1.32", minDriver: "465.19.01" }],
    ["paddle@2.5.2", "12.0", { cuda: "12.1", image: "nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04", cudnn: "8.9.0.131", minDriver: "530.30.02" }],
    ["paddle@2.6.1", "12.0", { cuda: "12.1", image: "nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04", cudnn: "8.9.0.131", minDriver: "530.30.02" }],
    ["paddle@2.3.2", "11.1", { cuda: "11.2", image: "nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04", cudnn: "8.1.1.33", minDriver: "460.32.03" }],
  ])("%s --cuda %s", (spec, cuda, want) => {
    const res = resolveFor([spec], { cuda });
    expect(res.builds[0]!.cuda).toBe(cuda);
    expect({ cuda: res.cuda, image: res.image, cudnn: res.cudnn, minDriver: res.minDriver }).toEqual(want);
    const w = res.warnings.find((x) => x.code === "cuda-minor-newer");
    expect(w?.message).toContain(`is built for CUDA ${cuda}`);
    expect(w?.message).toContain(`it runs on CUDA ${want.cuda}`);
    expect(w?.message).toContain("matrix/library-compat.yaml");
    expect(res.plan.base.why).toContain(`it runs on CUDA ${want.cuda}`);
    for (const s of matrix.libraryCompat.rules[0]!.sources) expect(res.explain.sources).toContain(s);
  });

  it("--os picks the later minor's image on that OS, whose cuDNN meets the floor at major.minor", () => {
    const res = resolveFor(["paddle@2.5.2"], { cuda: "11.2", os: "ubuntu18.04" });
    expect(res.image).toBe("nvidia/cuda:11.3.1-cudnn8-runtime-ubuntu18.04");
    expect(res.cudnn).toBe("8.2.0.53");
  });

  it("a build whose own minor works stays on it, with no warning", () => {
    const res = resolveFor(["paddle@2.3.2"], { cuda: "11.2" });
    expect(res.cuda).toBe("11.2");
    expect(res.warnings.map((w) => w.code)).not.toContain("cuda-minor-newer");
  });

  it("--driver below every later minor's floor is refused, naming the minors and their drivers", () => {
    const [p] = refused(["paddle@2.4.2"], { cuda: "11.2", driver: "460.32.03" });
    expect(p!.message).toMatch(/paddle 2\.4\.2 \(cu112\): no live image carries cuDNN 8\.2 \(or a later 8\.x\) for CUDA 11\.2/);
    expect(p!.message).toMatch(/need a newer driver than --driver 460\.32\.03 \(CUDA 11\.4 needs driver 470\.82\.01/);
  });

  it("never crosses a CUDA major: torch builds, which bundle CUDA, and Paddle 3 have no such rule", () => {
    const res = resolveFor(["paddle@3.0.0"], { cuda: "11.8" });
    expect(res.builds[0]!.systemLibs).toBeNull();
    expect(resolveFor(["torch@1.9.0"]).builds[0]!.systemLibs).toBeNull();
  });

  it("every rule has sources and matches some build that loads the system libraries", () => {
    for (const r of matrix.libraryCompat.rules) {
      expect(r.sources.length).toBeGreaterThan(0);
      const releases = matrix.frameworks[r.framework]?.releases.filter((x) => satisfies(x.version, r.versions)) ?? [];
      expect(releases.some((x) => x.builds.some((b) => !b.bundlesCuda)), `${r.framework} ${r.versions}`).toBe(true);
    }
  });
});

describe("TensorFlow's cuDNN is a floor from cuDNN 7 (matrix/library-compat.yaml)", () => {
  const tfRule = matrix.libraryCompat.rules.find((r) => r.framework === "tensorflow")!;
  it.each(["tensorflow@2.12.1", "tensorflow@2.13.1"])("%s runs on a supported OS's 11.8 image, whose cuDNN 8.9 it accepts, not on ubuntu18.04 (out of support)", (spec) => {
    const res = resolveFor([spec]);
    expect(res.image).toBe("nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04");
    expect(res.warnings.map((w) => w.code)).not.toContain("os-eol");
    expect(res.cudnn).toBe("8.9.6.50");
    expect(res.plan.laterCudnn).toEqual({ version: "8.9.6.50", sources: tfRule.sources });
    expect(res.plan.base.why).toContain("it carries cuDNN 8.9.6.50, a later 8.x than the 8.6 the build was compiled with");
    for (const s of tfRule.sources) expect(res.explain.sources).toContain(s);
  });
  it("--os ubuntu22.04 uses NVIDIA's live image rather than calling it deleted and rebuilding it on the plain OS", () => {
    const res = resolveFor(["tensorflow@2.13.1"], { os: "ubuntu22.04" });
    expect(res.plan.base.kind).toBe("nvidia");
    expect(res.warnings.map((w) => w.code)).not.toContain("base-image-deleted");
  });
  it("the Dockerfile says the build takes this cuDNN or a later one", () => {
    const docker = renderFor(["tensorflow@2.13.1"]).files.find((f) => f.path === "Dockerfile")!.content;
    expect(docker).toMatch(/It loads CUDA 11\.8 and cuDNN 8\.6 or a later 8\.x from the image/);
  });
  it("releases before 1.13 (cuDNN 7 by major, or 5.1 and 6, which TensorFlow pins) are outside the rule", () => {
    for (const r of matrix.frameworks.tensorflow!.releases) {
      const sysCudnn = r.builds.find((b) => !b.bundlesCuda && b.cudnn)?.cudnn;
      if (!sysCudnn || satisfies(r.version, tfRule.versions)) continue;
      expect(sysCudnn.includes(".") ? Number(sysCudnn.split(".")[0]) < 7 : true, `${r.version} ${sysCudnn}`).toBe(true);
    }
    expect(resolveFor(["tensorflow@1.4.1"]).builds[0]!.systemLibs).toBeNull();
  });
  it("without the rule (a pin), a live image with another cuDNN is named as such, not as deleted", () => {
    const m: Matrix = structuredClone(matrix);
    m.libraryCompat.rules = m.libraryCompat.rules.filter((r) => r.framework !== "tensorflow");
    const raw = { specs: ["tensorflow@2.13.1"], folderName: "demo", project: { requirements: false, pyproject: false }, name: "demo", os: "ubuntu22.04" } as RawRequest;
    const res = resolveStack(parseRequest(raw, m), m);
    expect(res.plan.base.kind).toBe("os");
    expect(res.warnings.map((w) => w.code)).not.toContain("base-image-deleted");
    expect(res.warnings.find((w) => w.code === "base-image-unavailable")?.message).toMatch(/^no live nvidia\/cuda 11\.8 image for ubuntu22\.04 carries cuDNN 8\.6 \(8\.9\.6\.50\); CUDA 11\.8 and cuDNN 8\.6 come from NVIDIA's ubuntu2204 repository/);
  });
  it("a cuDNN equal to the build's at major.minor is no later cuDNN", () => {
    expect(resolveFor(["jax@0.3.25"]).plan.laterCudnn).toBeUndefined();
  });
});

describe("an OS out of support names the supported OSes the same stack builds on", () => {
  it("every default stack on an OS past its end of support: each OS it names resolves the same stack there, out of that warning", () => {
    let named = 0;
    for (const fw of FRAMEWORK_NAMES) {
      for (const r of matrix.frameworks[fw]?.releases ?? []) {
        let res;
        try {
          res = resolveFor([`${fw}@${r.version}`]);
        } catch {
          continue;
        }
        const eol = res.warnings.find((w) => w.code === "os-eol");
        expect(res.plan.supportedOses === undefined || eol !== undefined, `${fw}@${r.version}`).toBe(true);
        for (const os of res.plan.supportedOses ?? []) {
          named++;
          expect(eol!.message).toContain(`${os} (supported until `);
          const there = resolveFor([`${fw}@${r.version}`], { os });
          expect(there.builds.map((b) => b.label), `${fw}@${r.version} --os ${os}`).toEqual(res.builds.map((b) => b.label));
          expect(there.cuda).toBe(res.cuda);
          expect(there.warnings.map((w) => w.code)).not.toContain("os-eol");
        }
        if (res.plan.supportedOses) expect(eol!.message).toContain(`pass --os ${res.plan.supportedOses[0]}.`);
      }
    }
    expect(named).toBeGreaterThan(20);
  });
  it("names none when --os chose the OS", () => {
    const res = resolveFor(["jax@0.3.25"], { os: "ubuntu20.04" });
    expect(res.warnings.find((w) => w.code === "os-eol")?.message).not.toContain("also builds on");
    expect(res.plan.supportedOses).toBeUndefined();
  });
});

describe("rows whose facts no primary source confirmed (class 7)", () => {
  it("every unverified row says why, and names a source that suggests it exists", () => {
    const rows = matrix.cuda.toolkits.filter((t) => t.verified === false);
    expect(rows.map((t) => t.version)).toEqual(["13.4"]);
    for (const t of rows) {
      expect(t.unverifiedReason?.length, t.version).toBeGreaterThan(40);
      expect(t.source).toMatch(/^https:\/\//);
    }
  });
  it("cuda@13.4 resolves with an unverified warning", () => {
    const res = resolveFor(["cuda@13.4"]);
    expect(res.cuda).toBe("13.4");
    expect(res.warnings.find((w) => w.code === "unverified")?.message).toMatch(/CUDA 13\.4 is in our data as unverified: .*615\.71\.09/s);
    expect(res.warnings.find((w) => w.code === "base-image-unavailable")?.message).toMatch(/^our data records no nvidia\/cuda 13\.4 image/);
  });
  it("an unverified row is never chosen unless named: cuda@13 stays on 13.3, and no stack moves onto it", () => {
    expect(resolveFor(["cuda@13"]).cuda).toBe("13.3");
    expect(resolveFor(["cuda@>=13.3"]).cuda).toBe("13.3");
    expect(resolveFor(["cuda@13.3"]).warnings.map((w) => w.code)).not.toContain("unverified");
  });
});

describe("framework releases whose facts no primary source confirmed (class 7)", () => {
  const unverified = Object.values(matrix.frameworks).flatMap((fw) => fw!.releases.filter((r) => r.verified === false).map((r) => ({ fw: fw!.framework, r })));

  it("every unverified release says why and names the public sources that suggest it exists", () => {
    expect(unverified.map(({ fw, r }) => `${fw}@${r.version}`)).toEqual(["torch@2.15.0"]);
    for (const { fw, r } of unverified) {
      expect(r.unverifiedReason?.length, `${fw}@${r.version}`).toBeGreaterThan(80);
      expect(r.unverifiedSources?.length, `${fw}@${r.version}`).toBeGreaterThan(0);
      for (const s of r.unverifiedSources ?? []) expect(s).toMatch(/^https:\/\//);
    }
  });

  // Never by default or by a range: the newest verified release is chosen instead.
  it.each([
    [["torch"], "2.14.1"],
    [["torch@2"], "2.14.1"],
    [["torch@>=2.14"], "2.14.1"],
    [["torch@>=2.14.1"], "2.14.1"],
    [["torch@^2.14.0"], "2.14.1"],
    [["torch@2.14"], "2.14.1"],
  ] as [string[], string][])("%j resolves to %s, not to the unverified release", (specs, version) => {
    const res = resolveFor(specs);
    expect(res.builds[0]!.version).toBe(version);
    expect(res.warnings.map((w) => w.code)).not.toContain("release-unverified");
  });

  it.each([["torch@2.15"], ["torch@>=2.15"], ["torch@>2.14.1"]])("%s matches only the unverified release: refused, with a hint to ask for it exactly", (spec) => {
    const [p] = refused([spec]);
    expect(p!.code).toBe("unknown-version");
    expect(p!.hint).toContain("PyTorch 2.15.0 is in our data as unverified and is used only when asked for exactly (torch@2.15.0).");
  });

  // Asked for exactly: it resolves, with a warning naming the reason.
  it.each([
    [{}, "13.4", "torch 2.15.0+cu134"],
    [{ cuda: "13.2" }, "13.2", "torch 2.15.0+cu132"],
  ] as [Record<string, string>, string, string][])("torch@2.15.0 %j resolves to CUDA %s (%s) with a release-unverified warning", (opts, cuda, label) => {
    const res = resolveFor(["torch@2.15.0"], opts);
    expect(res.builds[0]!.label).toBe(label);
    expect(res.cuda).toBe(cuda);
    const w = res.warnings.find((x) => x.code === "release-unverified");
    expect(w?.message).toMatch(/^PyTorch 2\.15\.0 is in our data as unverified: No release-time PyTorch source for 2\.15\.0 was read/);
    expect(w?.message).toContain("test_cu134_dependencies.py");
    expect(res.warnings.map((x) => x.code)).toContain("gpu-unverified");
    // CUDA 13.4 is an unverified CUDA row too: both are said.
    expect(res.warnings.some((x) => x.code === "unverified")).toBe(cuda === "13.4");
  });

  it("no verified release carries the warning", () => {
    for (const spec of ["torch@2.14.1", "torch@2.14.0", "jax@0.11.0", "paddle@3.3.1", "tensorflow"]) {
      expect(resolveFor([spec]).warnings.map((w) => w.code), spec).not.toContain("release-unverified");
    }
  });

  it("the lock records the release-unverified warning like any other", () => {
    const { files } = renderFor(["torch@2.15.0"]);
    const lock = JSON.parse(files.find((f) => f.path.endsWith("cuda-scaffold.lock.json"))!.content) as { resolution: { warnings: { code: string; message: string }[] } };
    expect(lock.resolution.warnings.find((w) => w.code === "release-unverified")?.message).toMatch(/^PyTorch 2\.15\.0 is in our data as unverified: /);
  });
});
