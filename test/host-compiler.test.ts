// torch.compile runs Triton, which builds a C launcher with the system's C compiler the first time it
// runs, and for CPU tensors TorchInductor builds C++ with g++; NVIDIA's runtime and base images and
// plain OS images have neither, and the first compiled call failed with "Failed to find C compiler"
// or "No working C++ compiler found" (matrix/library-compat.yaml hostCompiler; the H200 records in
// fixtures/torch-compile/). Every torch stack from 2.0 on must install the data's compilers in the
// stage both targets start from, against a Python that has its headers; no other stack gets them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { matrix } from "../src/matrix/data.js";
import { tool } from "../src/matrix/lookup.js";
import { capsFor, hostCompiler } from "../src/matrix/rules.js";
import { compare } from "../src/matrix/versions.js";
import { UserError } from "../src/errors.js";
import type { RawRequest } from "../src/request/parse-request.js";
import type { Resolution } from "../src/resolve/types.js";
import { installedPackages, runSteps } from "./support/dockerfile.js";
import { file, renderFor } from "./support/render.js";

const root = join(import.meta.dirname, "..");

interface Stack {
  label: string;
  res: Resolution;
  dockerfile: string;
}

/** Every torch release on its default OS, two releases on every OS, and one release of each other framework. */
function stacks(): Stack[] {
  const out: Stack[] = [];
  const add = (specs: string[], opts: Partial<RawRequest> = {}) => {
    try {
      const { res, files } = renderFor(specs, opts);
      out.push({ label: `${specs.join(" ")} ${JSON.stringify(opts)} -> ${res.image}`, res, dockerfile: file(files, "Dockerfile") });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
    }
  };
  for (const release of matrix.frameworks.torch!.releases) add([`torch@${release.version}`]);
  for (const spec of ["torch@2.0.1", "torch@1.13.1"]) for (const os of matrix.platform.os) add([spec], { os: os.name });
  add(["torch@2.5.1"], { variant: "devel" });
  add(["torch@2.9.0"], { platform: "linux/arm64" });
  for (const spec of ["tensorflow@2.13", "jax@0.4.30", "paddle@2.6.1", "cuda@12.4"]) add([spec]);
  return out;
}

describe("torch 2.0 and later get C and C++ compilers for torch.compile; nothing else does", () => {
  const all = stacks();
  const deb = tool(matrix, "hostCompilerDebPackages").split(" ");
  const rpm = tool(matrix, "hostCompilerRpmPackages").split(" ");

  it("covers both package families, NVIDIA's and plain OS images, devel, arm64, and torch on both sides of 2.0", () => {
    const torch2 = all.filter((s) => s.res.builds.some((b) => b.framework === "torch" && compare(b.version, "2.0.0") >= 0));
    expect(torch2.some((s) => s.res.plan.os.family === "debian")).toBe(true);
    expect(torch2.some((s) => s.res.plan.os.family !== "debian")).toBe(true);
    expect(torch2.some((s) => s.res.plan.base.kind === "os")).toBe(true);
    expect(torch2.some((s) => s.res.request.variant === "devel")).toBe(true);
    expect(torch2.some((s) => s.res.request.platform === "linux/arm64")).toBe(true);
    expect(all.some((s) => s.res.builds.some((b) => b.framework === "torch" && compare(b.version, "2.0.0") < 0))).toBe(true);
  });

  it("the data marks exactly the torch releases from 2.0", () => {
    for (const release of matrix.frameworks.torch!.releases) {
      const rule = hostCompiler(matrix, { framework: "torch", version: release.version, cuda: release.builds[0]!.cuda });
      expect(!!rule, release.version).toBe(compare(release.version, "2.0.0") >= 0);
    }
  });

  it("the base stage installs the OS family's C compiler exactly where a build compiles host code, and that Python has its headers", () => {
    const bad: string[] = [];
    for (const { label, res, dockerfile } of all) {
      const base = runSteps(dockerfile).filter((s) => s.stage === "base").flatMap((s) => installedPackages(s.shell).map((p) => p.replace(/=.*$/, "")));
      const want = res.builds.some((b) => b.hostCompiler);
      const packages = res.plan.os.family === "debian" ? deb : rpm;
      const has = packages.filter((p) => base.includes(p));
      if (want && has.length !== packages.length) bad.push(`${label}: base stage installs ${base.join(" ")}, lacking ${packages.filter((p) => !has.includes(p))}`);
      if (!want && base.some((p) => ["gcc", "g++", "gcc-c++", "libc6-dev"].includes(p))) bad.push(`${label}: base stage installs a C compiler though nothing compiles host code`);
      // Triton compiles against Python.h: the uv-managed Python (python-build-standalone) carries it; an OS Python would need its -dev package.
      if (want && res.plan.python.source !== "uv") bad.push(`${label}: Python ${res.plan.python.version} is the OS's, without its headers`);
    }
    expect(bad).toEqual([]);
  });

  it("resolve, explain and the lock name it with the rule's sources", () => {
    const { res } = renderFor(["torch@2.5.1"]);
    const rule = hostCompiler(matrix, { framework: "torch", version: "2.5.1", cuda: res.cuda })!;
    expect(res.builds[0]!.hostCompiler).toEqual({ why: rule.why, sources: rule.sources });
    for (const s of rule.sources) expect(res.explain.sources).toContain(s);
  });

  it("the H200 record: torch.compile ran with gcc and failed for want of a C compiler without one", () => {
    const dir = join(root, "fixtures/torch-compile");
    const withGcc = readFileSync(join(dir, "h200-with-gcc.txt"), "utf8");
    expect(withGcc).toMatch(/^torch.compile on NVIDIA H200 max error 0\.0$/m);
    expect(withGcc).toMatch(/^# exit code: 0$/m);
    const without = readFileSync(join(dir, "h200-without-c-compiler.txt"), "utf8");
    expect(without.split("\n")[0]).toMatch(/env -u CC PATH=/);
    expect(without).toContain("RuntimeError: Failed to find C compiler.");
    expect(without).toMatch(/^# exit code: 1$/m);
    const script = readFileSync(join(dir, "compile-check.py"), "utf8");
    expect(script).toContain("torch.compile(");
  });

  it("the H200 record on the CPU: torch.compile ran with g++ and failed with gcc alone (no C++ compiler)", () => {
    const dir = join(root, "fixtures/torch-compile");
    const withGxx = readFileSync(join(dir, "h200-cpu-with-gxx.txt"), "utf8");
    expect(withGxx).toMatch(/^torch.compile on the CPU, max error [0-9.e-]+$/m);
    expect(withGxx).toMatch(/^# exit code: 0$/m);
    const gccOnly = readFileSync(join(dir, "h200-cpu-gcc-without-gxx.txt"), "utf8");
    expect(gccOnly).toContain("InvalidCxxCompiler: No working C++ compiler found");
    expect(gccOnly).toMatch(/^# exit code: 1$/m);
    // So the data's packages hold a C++ compiler on both families, not gcc alone.
    expect(tool(matrix, "hostCompilerDebPackages").split(" ")).toEqual(expect.arrayContaining(["gcc", "g++"]));
    expect(tool(matrix, "hostCompilerRpmPackages").split(" ")).toEqual(expect.arrayContaining(["gcc", "gcc-c++"]));
  });
});

describe("setuptools, which torch.utils.cpp_extension and torch.compile's CPU path import (matrix/companions.yaml)", () => {
  const setuptoolsCaps = (version: string) => capsFor(matrix, { framework: "torch", version, cuda: "" }).filter((c) => c.package === "setuptools").map((c) => c.spec);
  it("every torch release from 1.9 installs and constrains a setuptools that suits it; earlier ones are left alone", () => {
    const seen: string[] = [];
    for (const r of matrix.frameworks.torch!.releases) {
      const specs = setuptoolsCaps(r.version);
      seen.push(`${r.version}: ${specs.join(",")}`);
      if (compare(r.version, "1.9.0") < 0) expect(specs, r.version).toEqual([]);
      else if (compare(r.version, "1.11.0") < 0) expect(specs, r.version).toContain("<59.6");
      else if (compare(r.version, "2.2.0") < 0) expect(specs, r.version).toEqual(["<70"]);
      else expect(specs, r.version).toEqual([">=49.4.0"]);
    }
    expect(seen.length).toBeGreaterThan(40);
    const docker = file(renderFor(["torch@2.1.2"]).files, "Dockerfile");
    expect(docker).toContain("      'setuptools<70'");
    expect(docker).toMatch(/^setuptools<70$/m);
  });

  it("the H200 record: without setuptools, cpp_extension and a compiled call on the CPU fail; pkg_resources is not needed by torch 2.11", () => {
    const record = readFileSync(join(root, "fixtures/torch-compile/h200-setuptools.txt"), "utf8");
    expect(record).toMatch(/^torch 2\.11\.0\+cu130 python 3\.12\.3$/m);
    expect(record).toMatch(/^hidden=- +torch\.compile on CPU +rc=0/m);
    expect(record).toMatch(/^hidden=pkg_resources +import cpp_extension +rc=0/m);
    expect(record).toMatch(/^hidden=setuptools,pkg_resources +import cpp_extension +rc=1 +ModuleNotFoundError: No module named 'setuptools'/m);
    expect(record).toMatch(/^hidden=setuptools,pkg_resources +torch\.compile on CPU +rc=1/m);
    expect(record).toMatch(/^torch files naming pkg_resources: 0 /m);
  });
});

