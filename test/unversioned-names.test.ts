// PaddlePaddle 2.x dlopens CUDA libraries by their bare names (libcublas.so, libcudnn.so), which only
// NVIDIA's -dev packages ship; runtime images and packages carry libcublas.so.11 and libcudnn.so.8
// alone, so the first GPU op failed with "(PreconditionNotMet) The third-party dynamic library
// (libcublas.so) ... cannot be loaded" (matrix/library-compat.yaml unversionedNames). Every stack the
// data can produce must link each name its builds ask for, in the stage both targets start from;
// the link step is then run against simulated images, with the real ldconfig where there is one.
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { matrix } from "../src/matrix/data.js";
import { unversionedNames } from "../src/matrix/rules.js";
import { UserError } from "../src/errors.js";
import type { RawRequest } from "../src/request/parse-request.js";
import type { Resolution } from "../src/resolve/types.js";
import { runSteps } from "./support/dockerfile.js";
import { file, renderFor } from "./support/render.js";

interface Stack {
  label: string;
  res: Resolution;
  dockerfile: string;
}

/** Every Paddle release × build, on its default OS, on each OS that carries it, and as --variant devel. */
function paddleStacks(): Stack[] {
  const stacks: Stack[] = [];
  const seen = new Set<string>();
  for (const release of matrix.frameworks.paddle!.releases) {
    for (const build of release.builds) {
      const variants: Partial<RawRequest>[] = [{}, { variant: "devel" }, ...matrix.platform.os.map((o) => ({ os: o.name }))];
      for (const opts of variants) {
        let rendered;
        try {
          rendered = renderFor([`paddle@${release.version}`], { cuda: build.cuda, ...opts });
        } catch (err) {
          if (err instanceof UserError) continue;
          throw err;
        }
        const dockerfile = file(rendered.files, "Dockerfile");
        const key = `${release.version} ${build.cuda} ${rendered.res.image}`;
        if (seen.has(key)) continue;
        seen.add(key);
        stacks.push({ label: `paddle@${release.version} --cuda ${build.cuda} ${JSON.stringify(opts)} -> ${rendered.res.image}`, res: rendered.res, dockerfile });
      }
    }
  }
  return stacks;
}

const LINK_STEP = /^for name in (.*); do/;

/** The names the base stage's link step goes through, or null when it has none. */
function linkedNames(dockerfile: string): string[] | null {
  const step = runSteps(dockerfile).find((s) => LINK_STEP.test(s.shell));
  if (!step) return null;
  expect(step.stage, "the link step belongs to the stage that runtime and dev both start from").toBe("base");
  return LINK_STEP.exec(step.shell)![1]!.split(" ");
}

describe("every Paddle stack links the bare library names its loader asks for", () => {
  const stacks = paddleStacks();

  it("covers 2.x on NVIDIA's runtime and devel images and on the plain OS image with NVIDIA's packages", () => {
    const v2 = stacks.filter((s) => s.res.builds[0]!.version.startsWith("2."));
    expect(v2.some((s) => /^nvidia\/cuda:.*-cudnn\d?-runtime-/.test(s.res.image))).toBe(true);
    expect(v2.some((s) => /^nvidia\/cuda:.*-cudnn\d?-devel-/.test(s.res.image))).toBe(true);
    expect(v2.some((s) => s.res.plan.base.kind === "os")).toBe(true);
    expect(v2.some((s) => s.res.plan.os.family === "rhel")).toBe(true);
  });

  it("every release that loads the system CUDA has a rule, and 3.x (CUDA from nvidia-* wheels) none", () => {
    for (const release of matrix.frameworks.paddle!.releases) {
      for (const build of release.builds) {
        const rule = unversionedNames(matrix, { framework: "paddle", version: release.version, cuda: build.cuda });
        expect(!!rule, `paddle ${release.version} cu${build.cuda} (bundlesCuda ${build.bundlesCuda})`).toBe(!build.bundlesCuda);
      }
    }
  });

  it("the base stage links exactly the names the data gives for that release, after the CUDA libraries are in", () => {
    const bad: string[] = [];
    for (const { label, res, dockerfile } of stacks) {
      const b = res.builds[0]!;
      const want = b.bundlesCuda ? null : (unversionedNames(matrix, { framework: "paddle", version: b.version, cuda: b.cuda })?.names ?? []);
      const got = linkedNames(dockerfile);
      if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(`${label}: links ${JSON.stringify(got)}, the data says ${JSON.stringify(want)}`);
      if (got && res.plan.base.kind === "os") {
        const install = dockerfile.indexOf(res.plan.base.packages[0]!);
        if (install < 0 || install > dockerfile.indexOf("for name in")) bad.push(`${label}: links before NVIDIA's packages are installed`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("the lock and explain's sources name where the rule comes from", () => {
    const { res } = renderFor(["paddle@2.6.1"]);
    const rule = unversionedNames(matrix, { framework: "paddle", version: "2.6.1", cuda: "11.8" })!;
    for (const s of rule.sources) expect(res.explain.sources).toContain(s);
    expect(res.builds[0]!.unversionedNames).toEqual({ names: rule.names, sources: rule.sources });
  });
});

// --- the link step itself, run as the image's /bin/sh would run it ---------------------------

const work = mkdtempSync(join(tmpdir(), "unversioned-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const REAL_LDCONFIG = ["/sbin/ldconfig", "/usr/sbin/ldconfig"].find((p) => existsSync(p));
const HAS_BINUTILS = spawnSync("sh", ["-c", "command -v as && command -v ld"]).status === 0;

/**
 * A simulated image: ELF shared libraries with NVIDIA's sonames (made with as and ld, so that the
 * real ldconfig reads them), in a CUDA folder and the multiarch folder, and an `ldconfig` on PATH
 * that is the real one pointed at this image's own cache and configuration.
 */
function image(name: string, libs: Record<string, string[]>): { root: string; ldconfig: string[] } {
  const root = join(work, name);
  const bin = join(root, "bin");
  mkdirSync(bin, { recursive: true });
  const empty = join(root, "empty.o");
  expect(spawnSync("as", ["/dev/null", "-o", empty]).status).toBe(0);
  const dirs: string[] = [];
  for (const [dir, sonames] of Object.entries(libs)) {
    const d = join(root, dir);
    mkdirSync(d, { recursive: true });
    dirs.push(d);
    for (const entry of sonames) {
      const [soname, bare] = entry.split(" ");
      const real = `${soname}.0.0`;
      expect(spawnSync("ld", ["-shared", "-soname", soname!, "-o", join(d, real), empty]).status).toBe(0);
      spawnSync("ln", ["-s", real, join(d, soname!)]);
      // A devel image: the -dev package's own bare link is there already.
      if (bare === "dev") spawnSync("ln", ["-s", soname!, join(d, soname!.replace(/\.so\..*$/, ".so"))]);
    }
  }
  writeFileSync(join(root, "ld.so.conf"), dirs.join("\n") + "\n");
  writeFileSync(join(bin, "ldconfig"), `#!/bin/sh\nexec ${REAL_LDCONFIG} -C '${root}/ld.so.cache' -f '${root}/ld.so.conf' "$@"\n`, { mode: 0o755 });
  const ldconfig = (args: string[]) => spawnSync(join(bin, "ldconfig"), args, { encoding: "utf8" });
  expect(ldconfig([]).status).toBe(0);
  return { root, ldconfig: ldconfig(["-p"]).stdout.split("\n") };
}

/** Runs the Dockerfile's link step with the simulated image's ldconfig; returns what it printed and ldconfig -p after. */
function runLinkStep(dockerfile: string, root: string): { status: number | null; out: string; cache: string } {
  const step = runSteps(dockerfile).find((s) => LINK_STEP.test(s.shell))!;
  const shell = step.shell.replace(/\\\n/g, "");
  const env = { ...process.env, PATH: `${join(root, "bin")}:${process.env.PATH}` };
  const r = spawnSync("sh", ["-c", shell], { encoding: "utf8", env });
  const cache = spawnSync(join(root, "bin", "ldconfig"), ["-p"], { encoding: "utf8", env }).stdout;
  return { status: r.status, out: r.stdout + r.stderr, cache };
}

const cachedAs = (cache: string, name: string, dir: string) => cache.split("\n").some((l) => l.trim().startsWith(`${name} (`) && l.endsWith(`=> ${join(dir, name)}`));

describe.skipIf(!REAL_LDCONFIG || !HAS_BINUTILS)("the link step on simulated images (real ldconfig)", () => {
  const runtime118 = file(renderFor(["paddle@2.6.1"]).files, "Dockerfile");
  const names = linkedNames(runtime118)!;

  it("nvidia/cuda 11.8 cudnn8-runtime: every name is linked beside its library and in ldconfig's cache", () => {
    const cuda = "usr/local/cuda-11.8/targets/x86_64-linux/lib";
    const multiarch = "usr/lib/x86_64-linux-gnu";
    const { root } = image("runtime-11.8", {
      [cuda]: ["libcublas.so.11", "libcublasLt.so.11", "libcufft.so.10", "libcurand.so.10", "libcusolver.so.11", "libcusparse.so.11", "libnvjpeg.so.11", "libnvrtc.so.11.2", "libnvrtc-builtins.so.11.8", "libnvToolsExt.so.1", "libcudart.so.11.0"],
      [multiarch]: ["libcudnn.so.8", "libcudnn_ops_infer.so.8", "libnccl.so.2"],
    });
    const { status, out, cache } = runLinkStep(runtime118, root);
    expect(status, out).toBe(0);
    expect(out).toBe("");
    for (const name of names) {
      const dir = join(root, ["libcudnn.so", "libnccl.so"].includes(name) ? multiarch : cuda);
      const link = join(dir, name);
      expect(lstatSync(link).isSymbolicLink(), link).toBe(true);
      expect(readlinkSync(link)).toMatch(new RegExp(`^${name.replace(/\./g, "\\.")}\\.[0-9]`));
      expect(cachedAs(cache, name, dir), `${name} in ldconfig -p:\n${cache}`).toBe(true);
    }
    // Not the other libraries whose names merely start alike.
    expect(readlinkSync(join(root, cuda, "libnvrtc.so"))).toBe("libnvrtc.so.11.2");
    expect(readlinkSync(join(root, multiarch, "libcudnn.so"))).toBe("libcudnn.so.8");
    // A second run (a rebuilt layer) changes nothing.
    expect(runLinkStep(runtime118, root)).toMatchObject({ status: 0, out: "" });
  });

  it("ubuntu:18.04 with cuda-libraries-10-2 and libcudnn7: links what is there, names what is not", () => {
    const dockerfile = file(renderFor(["paddle@2.4.2"]).files, "Dockerfile");
    expect(dockerfile).toContain("FROM ${DOCKER_HUB:-docker.io}/library/ubuntu:18.04 AS base");
    const cuda = "usr/local/cuda-10.2/targets/x86_64-linux/lib";
    const multiarch = "usr/lib/x86_64-linux-gnu";
    const { root } = image("os-10.2", {
      [cuda]: ["libcufft.so.10", "libcurand.so.10", "libcusolver.so.10", "libcusparse.so.10", "libnvjpeg.so.10", "libnvrtc.so.10.2"],
      [multiarch]: ["libcublas.so.10", "libcublasLt.so.10", "libcudnn.so.7"],
    });
    const { status, out, cache } = runLinkStep(dockerfile, root);
    expect(status, out).toBe(0);
    for (const name of ["libcublas.so", "libcublasLt.so", "libcudnn.so"]) expect(cachedAs(cache, name, join(root, multiarch)), name).toBe(true);
    for (const name of ["libcufft.so", "libcurand.so", "libcusolver.so", "libcusparse.so", "libnvjpeg.so", "libnvrtc.so"]) expect(cachedAs(cache, name, join(root, cuda)), name).toBe(true);
    expect(out.trim().split("\n").sort()).toEqual(["this image has no libnccl.so.N: libnccl.so is not linked", "this image has no libnvToolsExt.so.N: libnvToolsExt.so is not linked"]);
  });

  it("a devel image, whose -dev packages ship the names: those are left as they are", () => {
    const dockerfile = file(renderFor(["paddle@2.6.1"], { variant: "devel" }).files, "Dockerfile");
    const cuda = "usr/local/cuda-11.8/targets/x86_64-linux/lib";
    const { root } = image("devel-11.8", { [cuda]: ["libcublas.so.11 dev", "libcudnn.so.8 dev"] });
    const { status, out } = runLinkStep(dockerfile, root);
    expect(status, out).toBe(0);
    expect(readlinkSync(join(root, cuda, "libcublas.so"))).toBe("libcublas.so.11");
    expect(out).not.toMatch(/libcublas\.so |libcudnn\.so /);
  });
});
