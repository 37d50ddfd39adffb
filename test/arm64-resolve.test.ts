// linux/arm64 (GH200, GB200, DGX Spark): resolution on the real data (matrix/arm64.yaml).
import { describe, expect, it } from "vitest";
import { file, refused, renderFor, request, resolveFor } from "./support/render.js";
import { matrix } from "../src/matrix/data.js";
import { candidatesFor } from "../src/resolve/candidates.js";
import { imageHasArm64, wheelRule } from "../src/resolve/platform.js";
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
  }
  expect(res.plan.base.kind).toBe("nvidia");
  expect(imageHasArm64(matrix, res.plan.base.image!.cuda, res.plan.os.name)).toBe(true);
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
    for (const rule of matrix.arm64.wheels) {
      const builds = candidatesFor({ name: rule.framework, range: rule.versions }, matrix, []);
      expect(builds.length, `${rule.framework} ${rule.versions}`).toBeGreaterThan(0);
      for (const c of rule.cuda ?? []) expect(builds.some((b) => b.cuda === c), `${rule.framework} ${rule.versions} cu${c}`).toBe(true);
    }
    expect(FRAMEWORK_NAMES).toContain("torch");
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

  it.each(["jax", "tensorflow", "paddle"])("%s on arm64: no evidence in the data", (fw) => {
    const [p] = refused([fw], ARM);
    expect(p!.message).toContain("no evidence");
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
});
