// Integrity of the data: shapes are checked by the schemas at build time; these are the rules
// that span rows and files.
import { describe, expect, it } from "vitest";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { matrix } from "../src/matrix/data.js";
import { FRAMEWORK_NAMES, toolkit } from "../src/matrix/lookup.js";
import { compare, majorMinor } from "../src/matrix/versions.js";
import { ROOT } from "./support/shared.js";
import { tempDir } from "./support/cli.js";
import { resolveFor } from "./support/render.js";
import { loadData } from "../scripts/load-data.mjs";

const frameworks = FRAMEWORK_NAMES.map((n) => matrix.frameworks[n]).filter((f) => f !== undefined);
const sorted = (xs: string[]) => [...xs].sort(compare);

describe("matrix integrity", () => {
  it("the generated TypeScript types match the schemas", () => {
    const r = spawnSync(process.execPath, [join(ROOT, "scripts/gen-types.mjs"), "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("CUDA toolkits are sorted and unique, with releases and drivers in order", () => {
    const versions = matrix.cuda.toolkits.map((t) => t.version);
    expect(versions).toEqual(sorted(versions));
    expect(new Set(versions).size).toBe(versions.length);
    for (const t of matrix.cuda.toolkits) {
      const releases = t.releases.map((r) => r.version);
      expect(releases, t.version).toEqual(sorted(releases));
      for (const r of t.releases) expect(majorMinor(r.version), r.version).toBe(t.version);
    }
  });

  it.each(frameworks.map((f) => [f.framework, f]))("%s: releases sorted and unique, builds sorted, one default each, CUDA known", (_name, fw) => {
    const versions = fw.releases.map((r) => r.version);
    expect(versions).toEqual(sorted(versions));
    expect(new Set(versions).size).toBe(versions.length);
    for (const r of fw.releases) {
      const cudas = r.builds.map((b) => b.cuda);
      expect(cudas, r.version).toEqual(sorted(cudas));
      const variants = r.builds.map((b) => `${b.cuda}/${b.cudnn}/${b.bundlesCuda}/${b.packages.map((p) => `${p.version}[${p.extras ?? ""}]`).join(",")}`);
      expect(new Set(variants).size, `${r.version} builds are distinct`).toBe(variants.length);
      // torch and TensorFlow name one default build per release; JAX and Paddle docs do not always.
      const defaults = r.builds.filter((b) => b.default).length;
      if (fw.framework === "torch" || fw.framework === "tensorflow") expect(defaults, `${r.version} has one default build`).toBe(1);
      else expect(defaults, `${r.version} has at most one default build`).toBeLessThanOrEqual(1);
      for (const b of r.builds) expect(toolkit(matrix, b.cuda), `${fw.framework} ${r.version} cu${b.cuda} is in cuda.yaml`).toBeDefined();
    }
  });

  it("image rows are sorted, unique, and name known CUDA versions and OSes", () => {
    const keys = matrix.images.images.map((i) => `${i.cuda} ${i.os}`);
    expect(new Set(keys).size).toBe(keys.length);
    const osNames = new Set(matrix.platform.os.map((o) => o.name));
    for (let k = 1; k < matrix.images.images.length; k++) {
      const a = matrix.images.images[k - 1]!;
      const b = matrix.images.images[k]!;
      expect(compare(a.cuda, b.cuda) < 0 || (compare(a.cuda, b.cuda) === 0 && a.os < b.os), `${keys[k - 1]} before ${keys[k]}`).toBe(true);
    }
    for (const i of matrix.images.images) expect(toolkit(matrix, i.cuda), `${i.cuda} in cuda.yaml`).toBeDefined();
    // NVIDIA publishes for more OSes than we generate for; every OS we generate for has images.
    const imageOses = new Set(matrix.images.images.map((i) => i.os));
    for (const os of osNames) expect(imageOses.has(os), `${os} has nvidia/cuda rows`).toBe(true);
  });

  it("every Debian-family OS names NVIDIA's keyring package (the Dockerfile installs it)", () => {
    for (const os of matrix.platform.os.filter((o) => o.family === "debian")) expect(os.cudaKeyring, os.name).toMatch(/^cuda-keyring_/);
  });

  it("no CUDA minor below 11.0 has a live nvidia/cuda tag (NVIDIA deleted them all)", () => {
    const live = matrix.images.images.filter((i) => i.status !== "deleted" && compare(i.cuda, "11.0") < 0);
    expect(live).toEqual([]);
  });

  it("every GPU's compute capability is one some CUDA toolkit can target, and names are unique", () => {
    const all = new Set(matrix.cuda.toolkits.flatMap((t) => t.sm));
    for (const g of matrix.gpus.gpus) expect(all.has(g.cc), `${g.id} sm_${g.cc}`).toBe(true);
    const names = matrix.gpus.gpus.flatMap((g) => [g.id, ...(g.aliases ?? [])]);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("every release resolves", () => {
  // The default build, or where the framework names none, the newest CUDA (SPEC §3.3).
  const preferred = (r: (typeof frameworks)[number]["releases"][number]) => (r.builds.find((b) => b.default) ?? [...r.builds].sort((a, b) => compare(b.cuda, a.cuda))[0]!).cuda;
  const rows = frameworks.flatMap((fw) => fw.releases.map((r) => [`${fw.framework}@${r.version}`, preferred(r)] as const));
  it.each(rows)("%s resolves to its preferred build (CUDA %s)", (spec, cuda) => {
    const res = resolveFor([spec]);
    expect(res.builds[0]!.version).toBe(spec.split("@")[1]);
    expect(res.cuda).toBe(cuda);
  });
});

describe("conda package names (matrix/conda-packages.yaml)", () => {
  // Every row names its source: a public URL, or `none` with the reason it has none.
  const c = matrix.condaPackages;
  const rows = [
    ...c.renamed.map((r) => [`renamed ${r.conda}`, r] as const),
    ...c.provided.map((r) => [`provided ${r.conda}`, r] as const),
    ...c.cudaHint.map((r) => [`cudaHint ${r.conda}`, r] as const),
    ...c.condaOnly.map((r) => [`condaOnly ${r.conda}`, r] as const),
    ...c.condaOnlyPrefixes.map((r) => [`condaOnlyPrefixes ${r.prefix}`, r] as const),
    ["condaOnlyPattern", c.condaOnlyPattern] as const,
  ];
  it.each(rows)("%s has a source, or says why it has none", (_name, row) => {
    if (row.source === "none") expect(row.unsourced?.trim().length).toBeGreaterThan(10);
    else {
      expect(row.source).toMatch(/^https:\/\/\S+$/);
      expect(row.unsourced).toBeUndefined();
    }
  });

  it("names are unique within each list, and the pattern compiles", () => {
    for (const list of [c.renamed, c.provided, c.cudaHint, c.condaOnly]) {
      const names = list.map((r) => r.conda);
      expect(new Set(names).size).toBe(names.length);
    }
    expect(() => new RegExp(c.condaOnlyPattern.pattern)).not.toThrow();
  });

  it("is not part of the data version: locks resolved before it still match", () => {
    const { condaPackages: _conda, version: _v, clusterVersion: _c, arm64Version: _a, cluster: _cl, arm64: _ar, ...stack } = JSON.parse(readFileSync(join(ROOT, "generated/matrix.json"), "utf8"));
    expect(createHash("sha256").update(JSON.stringify(stack)).digest("hex").slice(0, 12)).toBe(matrix.version);
  });
});

describe("the host script's facts (matrix/platform.yaml tools and uekRepositories)", () => {
  // Every pinned fact, the host script's package lists and limits among them, names a public source.
  const rows = [
    ...Object.entries(matrix.platform.tools).map(([name, row]) => [`tools.${name}`, row] as const),
    ...matrix.platform.uekRepositories.map((row) => [`uekRepositories ${row.kernel}`, row] as const),
    ...matrix.platform.gpuChipFamilies.map((row) => [`gpuChipFamilies ${row.prefix}`, row] as const),
  ];
  it.each(rows)("%s names its source", (_name, row) => {
    expect(row.source).toMatch(/^https:\/\/\S+$/);
  });

  it("each UEK release appears once, and each kernel version maps to one repository", () => {
    const kernels = matrix.platform.uekRepositories.map((r) => r.kernel);
    const repos = matrix.platform.uekRepositories.map((r) => r.repo);
    expect(new Set(kernels).size).toBe(kernels.length);
    expect(new Set(repos).size).toBe(repos.length);
  });

  it("open kernel modules exist before NVIDIA ships only them", () => {
    expect(Number(matrix.platform.tools.openKernelModulesSince.value)).toBeLessThan(Number(matrix.platform.tools.openKernelModulesOnlySince.value));
  });

  it("open kernel modules become the default after they exist and before they are the only ones", () => {
    const t = matrix.platform.tools;
    expect(Number(t.openKernelModulesDefaultSince.value)).toBeGreaterThanOrEqual(Number(t.openKernelModulesSince.value));
    expect(Number(t.openKernelModulesDefaultSince.value)).toBeLessThan(Number(t.openKernelModulesOnlySince.value));
  });

  it("each GPU chip family appears once, and each flavour of kernel modules drives one of them", () => {
    const prefixes = matrix.platform.gpuChipFamilies.map((r) => r.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    expect(new Set(matrix.platform.gpuChipFamilies.map((r) => r.kernelModules))).toEqual(new Set(["proprietary", "either", "open"]));
  });

  it("the long-term branch the script suggests for proprietary modules still has them", () => {
    const t = matrix.platform.tools;
    expect(Number(t.longTermDriverBranch.value)).toBeGreaterThanOrEqual(Number(t.openKernelModulesSince.value));
    expect(Number(t.longTermDriverBranch.value)).toBeLessThan(Number(t.openKernelModulesOnlySince.value));
  });
});

describe("broken data fails the build, never a user's run", () => {
  /** A copy of the data and templates, for the compiler's --root. */
  const copyOfData = () => {
    const dir = tempDir();
    cpSync(join(ROOT, "matrix"), join(dir, "matrix"), { recursive: true });
    cpSync(join(ROOT, "templates"), join(dir, "templates"), { recursive: true });
    return dir;
  };
  it("a row without its source is refused by the data compiler", () => {
    const dir = copyOfData();
    const path = join(dir, "matrix/gpus.yaml");
    writeFileSync(path, readFileSync(path, "utf8").replace(/, source: https:\/\/developer\.nvidia\.com\/cuda-gpus([,}])/, "$1"));
    const r = spawnSync(process.execPath, [join(ROOT, "scripts/compile-data.mjs"), "--check", "--root", dir], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("must have required property 'source'");
  });

  // The conda table's rows: each broken row is refused at build time with the schema's reason.
  const condaRows: [string, RegExp, string, string, string][] = [
    ["a conda-only row without its source", /^  - \{ conda: "ffmpeg", (what: "[^"]*"), source: https:\/\/\S+ \}$/m, '  - { conda: "ffmpeg", $1 }', "condaOnly/0", "must have required property 'source'"],
    ["a row with source: none and no reason", /^  - \{ conda: "ffmpeg", (what: "[^"]*"), source: https:\/\/\S+ \}$/m, '  - { conda: "ffmpeg", $1, source: none }', "condaOnly/0", "must have required property 'unsourced'"],
    ["a renamed row without its source", /^  - \{ conda: "pytorch", pypi: "torch", source: https:\/\/\S+ \}$/m, '  - { conda: "pytorch", pypi: "torch" }', "renamed/0", "must have required property 'source'"],
    ["a row whose source is not a URL", /^  - \{ conda: "ffmpeg", (what: "[^"]*"), source: https:\/\/\S+ \}$/m, '  - { conda: "ffmpeg", $1, source: conda-forge }', "condaOnly/0/source", "must match pattern"],
  ];
  // The host script's rows: each broken one is refused at build time with the schema's reason.
  const hostRows: [string, RegExp, string, string, string][] = [
    ["a package list that is not space-separated package names", /^(  dockerPackages:\n    value: )docker-ce docker-ce-cli /m, "$1docker-ce, docker-ce-cli ", "tools/dockerPackages/value", "must match pattern"],
    ["a package list without its source", /^(  dockerConflictsOracleLinux:\n    value: [^\n]*\n)    source: \S+\n/m, "$1", "tools/dockerConflictsOracleLinux", "must have required property 'source'"],
    ["the toolkit's package list left out", /^  containerToolkitPackages:\n(    [^\n]*\n)+/m, "", "tools", "must have required property 'containerToolkitPackages'"],
    ["a driver branch written as R620", /^(  openKernelModulesOnlySince:\n    value: )"620"/m, '$1"R620"', "tools/openKernelModulesOnlySince/value", "must match pattern"],
    ["the long-term branch written as R580", /^(  longTermDriverBranch:\n    value: )"580"/m, '$1"R580"', "tools/longTermDriverBranch/value", "must match pattern"],
    ["the last dnf-module-install branch left out", /^  driverModuleInstallThrough:\n(    [^\n]*\n)+/m, "", "tools", "must have required property 'driverModuleInstallThrough'"],
    ["the open-by-default branch without its source", /^(  openKernelModulesDefaultSince:\n    value: "560"\n)    source: \S+\n/m, "$1", "tools/openKernelModulesDefaultSince", "must have required property 'source'"],
    ["a DKMS release without its patch number", /^(  dkmsBuildEnvironmentSince:\n    value: )3\.3\.0/m, '$1"3.3"', "tools/dkmsBuildEnvironmentSince/value", "must match pattern"],
    ["a UEK row without its source", /^(  - kernel: "5\.4\.17"\n    repo: UEKR6\n(?:    aarch64\w+: \S+\n)*)    source: \S+\n/m, "$1", "uekRepositories/0", "must have required property 'source'"],
    ["a UEK row's aarch64 repository without its source", /^(  - kernel: "5\.4\.17"\n    repo: UEKR6\n    aarch64Repo: \S+\n)    aarch64Source: \S+\n/m, "$1", "uekRepositories/0", "must have property aarch64Source when property aarch64Repo is present"],
    ["a UEK row naming the whole repository id", /^(  - kernel: "6\.12\.0"\n    repo: )UEKR8/m, "$1ol9_UEKR8", "uekRepositories/2/repo", "must match pattern"],
    ["a chip family written in lower case", /^(  - \{ prefix: )GH,/m, "$1gh,", "gpuChipFamilies/7/prefix", "must match pattern"],
    ["a chip family with a flavour that does not exist", /^(  - \{ prefix: GB, architecture: Blackwell, kernelModules: )open,/m, "$1open-only,", "gpuChipFamilies/8/kernelModules", "must be equal to one of the allowed values"],
    ["a chip family without its source", /^(  - \{ prefix: TU, architecture: Turing, kernelModules: either), source: \S+,/m, "$1,", "gpuChipFamilies/4", "must have required property 'source'"],
    ["no UEK rows at all", /^uekRepositories:\n[\s\S]*$/m, "uekRepositories: []\n", "uekRepositories", "must NOT have fewer than 1 items"],
  ];
  // Only the broken file is checked (--only): its row, through the same schema as in a build.
  const brokenRows = [...hostRows.map((r) => ["platform.yaml", ...r] as const), ...condaRows.map((r) => ["conda-packages.yaml", ...r] as const)];
  it.each(brokenRows)("matrix/%s: %s is refused by the data compiler", (file, _name, row, replacement, where, message) => {
    const dir = copyOfData();
    const path = join(dir, "matrix", file);
    const before = readFileSync(path, "utf8");
    expect(before).toMatch(row);
    writeFileSync(path, before.replace(row, replacement));
    // The compiler's own check (scripts/load-data.mjs), in this process: a compiler per row cost 0.7 s.
    expect(loadData(dir, file).problems.join("\n")).toContain(`${file}/${where}: ${message}`);
  });

  it("the compiler itself exits 1 on such a row, with the row's problem (--check --only)", () => {
    const dir = copyOfData();
    const path = join(dir, "matrix/platform.yaml");
    writeFileSync(path, readFileSync(path, "utf8").replace(/^(  longTermDriverBranch:\n    value: )"580"/m, '$1"R580"'));
    const r = spawnSync(process.execPath, [join(ROOT, "scripts/compile-data.mjs"), "--check", "--only", "platform.yaml", "--root", dir], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("platform.yaml/tools/longTermDriverBranch/value: must match pattern");
  });
});
