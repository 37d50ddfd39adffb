// Builds that load the system CUDA and compile GPU code while the program runs (every jax build of
// the jaxlib+cudaXX and *_local kind, TensorFlow 2.11-2.13 through its Keras optimizers) need CUDA's
// ptxas and libdevice in the image; NVIDIA's runtime images have neither, and jax aborted on the
// first computation with "Failed to launch ptxas" (matrix/library-compat.yaml runtimeCompiler).
// Every such stack the data can produce must install nvcc's package in the stage both targets start
// from; no other stack gets it.
import { describe, expect, it } from "vitest";
import { matrix, type Matrix } from "../src/matrix/data.js";
import { runtimeCompiler } from "../src/matrix/rules.js";
import { compare } from "../src/matrix/versions.js";
import { UserError } from "../src/errors.js";
import { parseRequest, type RawRequest } from "../src/request/parse-request.js";
import { resolveStack } from "../src/resolve/resolve-stack.js";
import type { Resolution } from "../src/resolve/types.js";
import { installedPackages, runSteps } from "./support/dockerfile.js";
import { file, renderFor } from "./support/render.js";

interface Stack {
  label: string;
  res: Resolution;
  dockerfile: string;
}

function tryRender(specs: string[], opts: Partial<RawRequest>): { res: Resolution; dockerfile: string } | null {
  try {
    const { res, files } = renderFor(specs, opts);
    return { res, dockerfile: file(files, "Dockerfile") };
  } catch (err) {
    if (err instanceof UserError) return null;
    throw err;
  }
}

/** Every jax and TensorFlow release × CUDA build on its default OS and as --variant devel, and two releases on every OS. */
function stacks(): Stack[] {
  const out: Stack[] = [];
  const seen = new Set<string>();
  const add = (specs: string[], opts: Partial<RawRequest>) => {
    const r = tryRender(specs, opts);
    if (!r) return;
    const key = `${r.res.builds.map((b) => b.label).join(" ")} ${r.res.image} ${r.res.request.variant}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ label: `${specs.join(" ")} ${JSON.stringify(opts)} -> ${r.res.image}`, ...r });
  };
  for (const fw of ["jax", "tensorflow"] as const) {
    for (const release of matrix.frameworks[fw]!.releases) {
      for (const build of release.builds) {
        add([`${fw}@${release.version}`], { cuda: build.cuda });
        add([`${fw}@${release.version}`], { cuda: build.cuda, variant: "devel" });
      }
    }
  }
  for (const spec of ["jax@0.4.7", "tensorflow@2.13.0", "tensorflow@2.10.1"]) for (const os of matrix.platform.os) add([spec], { os: os.name });
  // A stack of two frameworks, one of which compiles.
  add(["torch@2.1", "tensorflow@2.13"], {});
  return out;
}

describe("builds that compile GPU code when they run get CUDA's ptxas and libdevice", () => {
  const all = stacks();

  it("covers NVIDIA's runtime images, plain OS images with NVIDIA's packages, both package families, and devel images", () => {
    const compiling = all.filter((s) => s.res.plan.compiler);
    expect(compiling.some((s) => s.res.plan.base.kind === "nvidia" && s.res.plan.os.family === "debian")).toBe(true);
    expect(compiling.some((s) => s.res.plan.base.kind === "nvidia" && s.res.plan.os.family !== "debian")).toBe(true);
    expect(compiling.some((s) => s.res.plan.base.kind === "os")).toBe(true);
    expect(all.some((s) => s.res.request.variant === "devel" && s.res.builds.some((b) => b.runtimeCompiler))).toBe(true);
    expect(compiling.map((s) => s.res.builds[0]!.framework)).toEqual(expect.arrayContaining(["jax", "tensorflow"]));
  });

  it("the data marks every jax build that loads the system CUDA and TensorFlow's from 2.11; no build that brings CUDA as wheels", () => {
    const bad: string[] = [];
    for (const fw of ["jax", "tensorflow"] as const) {
      for (const release of matrix.frameworks[fw]!.releases) {
        for (const build of release.builds) {
          const want = fw === "jax" || compare(release.version, "2.11.0") >= 0;
          const rule = runtimeCompiler(matrix, { framework: fw, version: release.version, cuda: build.cuda });
          if (!!rule !== want) bad.push(`${fw} ${release.version}: rule ${!!rule}, expected ${want}`);
        }
      }
    }
    expect(bad).toEqual([]);
    for (const s of all) for (const b of s.res.builds) if (b.bundlesCuda) expect(b.runtimeCompiler, `${s.label}: ${b.label}`).toBeNull();
  });

  it("the base stage installs nvcc's package exactly where a build compiles and the image is not a devel one", () => {
    const bad: string[] = [];
    for (const { label, res, dockerfile } of all) {
      const steps = runSteps(dockerfile);
      const base = steps.filter((s) => s.stage === "base").flatMap((s) => installedPackages(s.shell).map((p) => p.replace(/=.*$/, "")));
      const dev = steps.filter((s) => s.stage === "dev").flatMap((s) => installedPackages(s.shell).map((p) => p.replace(/=.*$/, "")));
      const nvcc = base.filter((p) => /^cuda-nvcc-|^cuda-minimal-build-|^cuda-core-/.test(p));
      const compiles = res.builds.some((b) => b.runtimeCompiler);
      const devel = res.request.variant === "devel";
      const want = compiles && !devel;
      if (!!res.plan.compiler !== want) bad.push(`${label}: plan.compiler ${!!res.plan.compiler}, expected ${want}`);
      if (want) {
        for (const p of res.plan.compiler!.packages) if (!base.includes(p)) bad.push(`${label}: base stage does not install ${p}`);
        for (const p of res.plan.compiler!.packages) if (dev.includes(p)) bad.push(`${label}: dev stage installs ${p} again`);
        if (!res.plan.compiler!.packages.every((p) => p.includes(res.cuda.replace(".", "-")))) bad.push(`${label}: ${res.plan.compiler!.packages} is not CUDA ${res.cuda}'s`);
      } else if (!devel || res.plan.base.kind === "nvidia") {
        // A devel stack on a plain OS image installs nvcc with its -dev packages anyway.
        if (nvcc.length) bad.push(`${label}: base stage installs ${nvcc} though nothing compiles at run time`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("on a plain OS image, /usr/local/cuda and PATH lead to ptxas and libdevice as on NVIDIA's images, after the install", () => {
    const plain = all.filter((s) => s.res.plan.compiler && s.res.plan.base.kind === "os");
    expect(plain.length).toBeGreaterThan(0);
    for (const { label, res, dockerfile } of plain) {
      const link = `RUN test -e /usr/local/cuda || ln -s cuda-${res.cuda} /usr/local/cuda\nENV PATH=/usr/local/cuda/bin:$PATH\n`;
      const at = dockerfile.indexOf(link);
      const install = dockerfile.indexOf(` ${res.plan.compiler!.packages[0]}`);
      expect(install, label).toBeGreaterThan(0);
      expect(at, label).toBeGreaterThan(install);
      expect(at, label).toBeLessThan(dockerfile.indexOf(" AS dev"));
    }
    for (const { label, dockerfile } of all.filter((s) => s.res.plan.base.kind === "nvidia")) expect(dockerfile, label).not.toContain("ln -s cuda-");
  });

  it("resolve, explain and the lock say so, with the rule's source", () => {
    const { res } = renderFor(["jax@0.3.25"]);
    const rule = runtimeCompiler(matrix, { framework: "jax", version: "0.3.25", cuda: res.cuda })!;
    expect(res.plan.compiler).toEqual({ packages: ["cuda-nvcc-11-4"], labels: [res.builds[0]!.label], why: [rule.why], sources: rule.sources });
    expect(res.builds[0]!.runtimeCompiler).toEqual({ why: rule.why, sources: rule.sources });
  });

  it("an OS whose NVIDIA repository has no nvcc package for the CUDA is refused for such a build, naming --variant devel", () => {
    const m: Matrix = structuredClone(matrix);
    for (const f of m.nvidiaPackages.families) f.packages = f.packages.filter((p) => !(p.role === "nvcc" && f.family === "rpm")) as typeof f.packages;
    const raw: RawRequest = { specs: ["jax@0.4.7"], folderName: "demo", project: { requirements: false, pyproject: false }, name: "demo", os: "ubi8" } as RawRequest;
    let problem = "";
    try {
      resolveStack(parseRequest(raw, m), m);
    } catch (err) {
      problem = JSON.stringify((err as UserError).problems);
    }
    expect(problem).toContain("ptxas");
    expect(problem).toContain("--variant devel");
    // With the devel image nvcc comes with the image.
    expect(resolveStack(parseRequest({ ...raw, variant: "devel" }, m), m).plan.compiler).toBeUndefined();
  });
});
