// linux/arm64 (GH200, GB200, DGX Spark): resolution on the real data (matrix/arm64.yaml).
import { describe, expect, it } from "vitest";
import { file, refused, renderFor, request, resolveFor } from "./support/render.js";
import { matrix } from "../src/matrix/data.js";
import { candidatesFor } from "../src/resolve/candidates.js";
import { imageHasArm64, wheelRule, type WheelRule } from "../src/resolve/platform.js";
import { FRAMEWORK_NAMES } from "../src/matrix/lookup.js";
import type { Resolution } from "../src/resolve/types.js";

const ARM = { platform: "linux/arm64" } as const;

/** Every arm64 resolution names builds with aarch64 CUDA wheels and an image tag that has an arm64 variant. */
function expectArm64(res: Resolution): void {
  expect(res.request.platform).toBe("linux/arm64");
  for (const b of res.builds.filter((x) => x.framework !== "cuda")) {
    const rule = wheelRule(matrix, b);
    expect(rule?.aarch64, `${b.label} has aarch64 CUDA wheels`).toBe(true);
    expect(b.wheelPlatform?.tag).toMatch(/_aarch64$/);
    // The CUDA wheel is pinned with its +cuXYZ label, so pip cannot take the CPU build instead.
    const main = b.packages[0]!;
    if (b.framework === "torch") expect(main.version).toMatch(/\+cu[0-9]+$/);
    // JAX's CUDA code is the jax-cudaNN-plugin wheel (CUDA-only, no sdist): pinned exactly, so pip
    // installs the aarch64 plugin or fails, never a CPU-only jaxlib alone.
    if (b.framework === "jax") {
      expect(rule!.package, `${b.label}: the jax rule names the plugin`).toMatch(/^jax-cuda1[0-9]-plugin$/);
      const plugin = b.packages.find((p) => p.name === rule!.package);
      expect(plugin?.version, `${b.label} pins ${rule!.package}`).toMatch(/^[0-9]+\.[0-9]+\.[0-9]+$/);
      expect(b.packages.some((p) => p.name === rule!.package!.replace("-plugin", "-pjrt"))).toBe(true);
    }
  }
  expect(res.plan.base.kind).toBe("nvidia");
  expect(imageHasArm64(matrix, res.plan.base.image!.cuda, res.plan.os.name)).toBe(true);
  // A -cudnn tag must have an arm64 variant of its own (matrix/arm64.yaml cudnnImages).
  if (/-cudnn/.test(res.image)) expect(imageHasArm64(matrix, res.plan.base.image!.cuda, res.plan.os.name, true), res.image).toBe(true);
}

describe("arm64 choices", () => {
  it.each<[string, string[], Record<string, string>, { label: string }]>([
    ["torch 2.8.0 on arm64 takes cu129, the only variant with aarch64 wheels", ["torch@2.8.0"], ARM, { label: "torch 2.8.0+cu129" }],
    ["torch 2.7.1 on arm64 takes cu128", ["torch@2.7.1"], ARM, { label: "torch 2.7.1+cu128" }],
    ["torch 2.6.0 on arm64 takes cu126, not the default cu124", ["torch@2.6.0"], ARM, { label: "torch 2.6.0+cu126" }],
    ["--gpu gh200 selects arm64", ["torch@2.9.0"], { gpu: "gh200" }, { label: "torch 2.9.0+cu128" }],
    ["--gpu gb200 selects arm64", ["torch@2.9.0"], { gpu: "gb200" }, { label: "torch 2.9.0+cu128" }],
    ["--gpu gb10 (DGX Spark, sm_121) selects arm64", ["torch@2.9.0"], { gpu: "gb10" }, { label: "torch 2.9.0+cu128" }],
  ])("%s", (_label, specs, opts, want) => {
    const res = resolveFor(specs, opts);
    expectArm64(res);
    expect(res.builds[0]!.label).toBe(want.label);
  });

  it("the newest torch resolves on arm64", () => expectArm64(resolveFor(["torch"], ARM)));

  it("torchvision of torch 2.9 is pinned without +cu on arm64 (its aarch64 wheel has no label)", () => {
    const b = resolveFor(["torch@2.9.0"], ARM).builds[0]!;
    expect(b.packages.map((p) => `${p.name}==${p.version}`)).toEqual(["torch==2.9.0+cu128", "torchvision==0.24.0", "torchaudio==2.9.0+cu128"]);
  });

  it("amd64 requests are unchanged: no platform, the same build", () => {
    const res = resolveFor(["torch@2.8.0"]);
    expect(res.request.platform).toBeUndefined();
    expect(res.builds[0]!.label).toBe("torch 2.8.0+cu128");
    expect(res.matrixVersion).toBe(matrix.version);
    expect(resolveFor(["torch@2.8.0"], { platform: "linux/amd64" }).request.platform).toBeUndefined();
  });

  it("an arm64 resolution's data version covers matrix/arm64.yaml", () => {
    expect(resolveFor(["torch@2.9.0"], ARM).matrixVersion).toBe(`${matrix.version}+arm64.${matrix.arm64Version}`);
  });

  it("integrity: every torch release that resolves on arm64 names aarch64 wheels and an arm64 tag", () => {
    const versions = matrix.frameworks.torch!.releases.map((r) => r.version).filter((v) => wheelRule(matrix, { framework: "torch", version: v, cuda: "0" }));
    expect(versions.length).toBeGreaterThan(10);
    for (const v of versions) expectArm64(resolveFor([`torch@${v}`], ARM));
  });

  it("integrity: every wheel rule names a framework release that exists", () => {
    for (const rule of matrix.arm64.wheels as WheelRule[]) {
      const builds = candidatesFor({ name: rule.framework, range: rule.versions }, matrix, []);
      expect(builds.length, `${rule.framework} ${rule.versions}`).toBeGreaterThan(0);
      for (const c of rule.cuda ?? []) expect(builds.some((b) => b.cuda === c), `${rule.framework} ${rule.versions} cu${c}`).toBe(true);
      if (rule.package) expect(builds.some((b) => b.packages.some((p) => p.name === rule.package)), `${rule.framework} ${rule.versions} installs ${rule.package}`).toBe(true);
    }
    expect(FRAMEWORK_NAMES).toContain("torch");
  });

  it("integrity: a rule with aarch64 wheels names an aarch64 tag and its glibc; an example wheel carries that tag", () => {
    for (const rule of matrix.arm64.wheels as WheelRule[]) {
      const what = `${rule.framework} ${rule.versions}${rule.package ? ` ${rule.package}` : ""}`;
      if (!rule.aarch64) {
        expect(rule.platform, what).toBeUndefined();
        continue;
      }
      expect(rule.platform, what).toMatch(/_aarch64$/);
      expect(rule.glibc, what).toMatch(/^2\.[0-9]+$/);
      const floor = rule.platform === "manylinux2014_aarch64" ? "2.17" : rule.platform!.replace(/^manylinux_(\d+)_(\d+)_aarch64$/, "$1.$2");
      expect(rule.glibc, `${what}: the tag's glibc`).toBe(floor);
      if (rule.example) expect(rule.example, what).toContain(`-${rule.platform}.whl`);
    }
  });

  it("integrity sweep: every release with an aarch64 rule resolves on arm64 to wheels and a tag that exist for arm64", () => {
    let swept = 0;
    for (const fw of FRAMEWORK_NAMES) {
      const releases = matrix.frameworks[fw]?.releases ?? [];
      for (const r of releases) {
        const armable = r.builds.some((b) => wheelRule(matrix, { framework: fw, version: r.version, cuda: b.cuda, packages: b.packages })?.aarch64 === true);
        if (!armable) {
          expect(() => resolveFor([`${fw}@${r.version}`], ARM), `${fw} ${r.version} has no aarch64 rule, so it must be refused`).toThrow();
          continue;
        }
        const res = resolveFor([`${fw}@${r.version}`], ARM);
        expectArm64(res);
        swept++;
      }
    }
    expect(swept).toBeGreaterThan(40);
  });

  it("integrity: every rule with aarch64 false cites a source; one with an alternative is a tensorflow rule", () => {
    for (const rule of matrix.arm64.wheels as WheelRule[]) {
      expect(rule.source).toMatch(/^https:\/\//);
      if (rule.alternative) {
        expect(rule.aarch64).toBe(false);
        expect(rule.alternative).toMatch(/https:\/\//);
      }
    }
  });
});

describe("arm64 JAX", () => {
  it.each<[string, string, string, string]>([
    ["jax", "jax[cuda13] 0.11.0 (cu130)", "manylinux_2_27_aarch64", "jax-cuda13-plugin==0.11.0"],
    ["jax@0.8.0", "jax[cuda13] 0.8.0 (cu130)", "manylinux_2_27_aarch64", "jax-cuda13-plugin==0.8.0"],
    ["jax@0.7.2", "jax[cuda12] 0.7.2 (cu121)", "manylinux_2_27_aarch64", "jax-cuda12-plugin==0.7.2"],
    ["jax@0.7.1", "jax[cuda12] 0.7.1 (cu121)", "manylinux2014_aarch64", "jax-cuda12-plugin==0.7.1"],
    ["jax@0.4.28", "jax[cuda12] 0.4.28 (cu121)", "manylinux2014_aarch64", "jax-cuda12-plugin==0.4.28"],
  ])("%s on arm64 resolves to %s (%s)", (spec, label, tag, pin) => {
    const res = resolveFor([spec], ARM);
    expectArm64(res);
    const b = res.builds[0]!;
    expect(b.label).toBe(label);
    expect(b.wheelPlatform?.tag).toBe(tag);
    expect(b.packages.map((p) => `${p.name}==${p.version}`)).toContain(pin);
  });

  it("jax 0.4.28 on arm64 takes the plugin build, not the jaxlib+cuda12.cudnn89 ones of the same CUDA", () => {
    const b = resolveFor(["jax@0.4.28"], ARM).builds[0]!;
    expect(b.packages.map((p) => p.name)).toEqual(["jax", "jaxlib", "jax-cuda12-plugin", "jax-cuda12-pjrt"]);
    expect(b.packages.find((p) => p.name === "jaxlib")!.version).toBe("0.4.28");
  });

  it("--cuda 12 on arm64 keeps JAX on the cuda12 plugin", () => {
    const b = resolveFor(["jax@0.11.0"], { ...ARM, cuda: "12" }).builds[0]!;
    expect(b.label).toBe("jax[cuda12] 0.11.0 (cu121)");
  });

  it("--gpu gh200 selects arm64 for JAX too", () => {
    const res = resolveFor(["jax@0.10.2"], { gpu: "gh200" });
    expectArm64(res);
  });

  it("amd64 JAX is unchanged: the newest release, no arm64 data version", () => {
    const res = resolveFor(["jax"]);
    expect(res.builds[0]!.version).toBe("0.11.2");
    expect(res.matrixVersion).toBe(matrix.version);
  });
});

describe("arm64 nvidia/cuda tags", () => {
  it.each<[string, string, boolean, boolean]>([
    ["12.1.1", "ubuntu22.04", true, true],
    ["12.1.1", "ubi9", true, false],
    ["12.2.2", "rockylinux9", true, false],
    ["12.4.1", "ubi9", true, true],
    ["12.8.1", "ubuntu24.04", true, true],
    ["11.1.1", "ubuntu20.04", false, false],
  ])("CUDA %s on %s: base arm64 %s, -cudnn arm64 %s", (cuda, os, base, cudnn) => {
    expect(imageHasArm64(matrix, cuda, os)).toBe(base);
    expect(imageHasArm64(matrix, cuda, os, true)).toBe(cudnn);
  });
});

describe("arm64 refusals", () => {
  it("torch 2.8.0 with --cuda 12.8 names the variant and the versions that have aarch64 wheels", () => {
    const [p] = refused(["torch@2.8.0"], { ...ARM, cuda: "12.8" });
    expect(p!.code).toBe("no-matching-build");
    expect(p!.message).toContain("torch 2.8.0+cu128: no linux/aarch64 CUDA wheel");
    expect(p!.message).toContain("2.8.0 has them for cu129");
    expect(p!.alternatives).toEqual(["2.7.0–2.7.1", "2.9.0–2.11.0"]);
  });

  it("a release the data has no evidence for is refused as such, with the versions that do have wheels", () => {
    const [p] = refused(["torch@2.5.1"], ARM);
    expect(p!.message).toContain("the data has no evidence of linux/aarch64 CUDA wheels");
    expect(p!.alternatives).toEqual(["2.6.0–2.14.1"]);
  });

  it("tensorflow on arm64: no aarch64 CUDA wheel, with TensorFlow's install page and the NGC pointer", () => {
    const [p] = refused(["tensorflow"], ARM);
    expect(p!.code).toBe("no-matching-build");
    expect(p!.message).toContain("tensorflow[and-cuda] 2.21.0 (cu125): no linux/aarch64 CUDA wheel (https://github.com/tensorflow/docs/");
    expect(p!.message).toContain("nvcr.io/nvidia/tensorflow");
    expect(p!.message).not.toContain("no evidence");
    expect(p!.alternatives).toEqual([]);
  });

  it.each(["tensorflow@1.15.5", "tensorflow@2.9.0", "tensorflow@2.12.0", "tensorflow@2.16.1"])("%s on arm64: refused with a source, not 'no evidence'", (spec) => {
    const [p] = refused([spec], ARM);
    expect(p!.message).toContain("no linux/aarch64 CUDA wheel (https://");
    expect(p!.message).toContain("nvcr.io/nvidia/tensorflow");
  });

  it.each(["paddle@2.6.2", "paddle@2.5.2", "paddle@1.8.5", "paddle@3.1.1"])("%s on arm64: no aarch64 GPU wheel, with Paddle's own source", (spec) => {
    const [p] = refused([spec], ARM);
    expect(p!.message).toContain("no linux/aarch64 CUDA wheel (https://");
    expect(p!.message).not.toContain("no evidence");
  });

  it.each(["paddle@3.3.1", "paddle@3.2.0", "jax@0.4.20", "jax@0.11.2"])("%s on arm64: the data has no evidence, and says so", (spec) => {
    const [p] = refused([spec], ARM);
    expect(p!.message).toContain("the data has no evidence of linux/aarch64 CUDA wheels");
  });

  it("jax 0.4.38 (no aarch64 jax-cuda12-plugin) names the releases around it that have one", () => {
    const [p] = refused(["jax@0.4.38"], ARM);
    expect(p!.message).toContain("jax[cuda12] 0.4.38 (cu121): no linux/aarch64 CUDA wheel (https://");
    expect(p!.alternatives).toEqual(["0.4.28–0.4.37", "0.5.0–0.11.0"]);
  });

  it("jax 0.4.20 (jaxlib+cuda builds, no evidence) names the plugin-era releases as the nearest", () => {
    const [p] = refused(["jax@0.4.20"], ARM);
    expect(p!.alternatives![0]).toBe("0.4.28–0.4.37");
  });

  it.each<[string, Record<string, string>, string]>([
    ["an unknown platform", { platform: "linux/riscv64" }, "invalid-value"],
    ["arm64 with an OS NVIDIA publishes no arm64 images of", { platform: "linux/arm64", os: "ubuntu16.04" }, "conflict"],
    ["an arm64-only GPU with linux/amd64", { platform: "linux/amd64", gpu: "gh200" }, "conflict"],
  ])("%s", (_label, opts, code) => {
    expect(() => request(["torch@2.9.0"], opts)).toThrow();
    const [p] = refused(["torch@2.9.0"], opts);
    expect(p!.code).toBe(code);
  });
});

describe("arm64 files", () => {
  const { files } = renderFor(["torch@2.9.0"], ARM);
  const dockerfile = file(files, "Dockerfile");

  it("every FROM names linux/arm64", () => {
    const froms = dockerfile.split("\n").filter((l) => /^FROM /.test(l) && !/^FROM base AS/.test(l));
    expect(froms.length).toBeGreaterThan(1);
    for (const line of froms) expect(line).toMatch(/^FROM --platform=linux\/arm64 /);
  });

  it("the constraints pin the CUDA wheel of torch", () => {
    expect(dockerfile).toContain("/opt/venv/constraints.txt\ntorch==2.9.0+cu128\n");
  });

  it("NVIDIA's repository paths are the sbsa ones", () => {
    expect(dockerfile).not.toContain("/x86_64/");
  });

  it("the lock records the platform", () => {
    const lock = JSON.parse(file(files, "cuda-scaffold.lock.json"));
    expect(lock.request.platform).toBe("linux/arm64");
    expect(lock.matrixVersion).toContain("+arm64.");
  });

  it("amd64 files carry no platform", () => {
    const amd = file(renderFor(["torch@2.9.0"]).files, "Dockerfile");
    expect(amd).not.toContain("--platform");
    expect(JSON.parse(file(renderFor(["torch@2.9.0"]).files, "cuda-scaffold.lock.json")).request.platform).toBeUndefined();
  });

  it.each(["Dockerfile", "docker-compose.yml", ".devcontainer/devcontainer.json"])("golden: torch --platform linux/arm64 %s", async (path) => {
    const golden = renderFor(["torch@2.9.0"], ARM).files;
    await expect(file(golden, path)).toMatchFileSnapshot(`../fixtures/golden-arm64/torch-2.9.0/${path}`);
  });

  it.each(["Dockerfile", "docker-compose.yml", ".devcontainer/devcontainer.json"])("golden: jax --platform linux/arm64 %s", async (path) => {
    const golden = renderFor(["jax@0.11.0"], ARM).files;
    await expect(file(golden, path)).toMatchFileSnapshot(`../fixtures/golden-arm64/jax-0.11.0/${path}`);
  });

  it("jax on arm64: every FROM names linux/arm64 and the constraints pin the aarch64 CUDA plugin", () => {
    const df = file(renderFor(["jax@0.11.0"], ARM).files, "Dockerfile");
    for (const line of df.split("\n").filter((l) => /^FROM /.test(l) && !/^FROM base AS/.test(l))) expect(line).toMatch(/^FROM --platform=linux\/arm64 /);
    expect(df).toMatch(/\/opt\/venv\/constraints\.txt\n(?:.*\n)*jax-cuda13-plugin==0\.11\.0\n/);
    expect(df).toMatch(/jax-cuda13-pjrt==0\.11\.0\n/);
    expect(df).not.toContain("/x86_64/");
  });
});
