// Spec -> the builds it may resolve to, in preference order: newest matching release first;
// within a release the framework's default build, then newest CUDA first (SPEC §3.3).
import type { Matrix, FrameworkName } from "../matrix/data.js";
import type { FrameworkBuild, FrameworkMatrix, FrameworkRelease } from "../matrix/types.gen.js";
import { isUnverified, tool, toolkit, unverifiedReason } from "../matrix/lookup.js";
import { capsFor, experimentalPythons, hostCompiler, libraryCompat, requiresFor, runtimeCompiler, unversionedNames, wheelPlatform } from "../matrix/rules.js";
import { compare, isExact, newestFirst, satisfies } from "../matrix/versions.js";
import { suggest, type Problem } from "../errors.js";
import type { Spec } from "../request/types.js";
import type { Build } from "./types.js";

function cudaTag(cuda: string): string {
  return `cu${cuda.replace(".", "")}`;
}

/** torch 1.9.0+cu102 · jax[cuda12_pip] 0.4.8 (cu120) · tensorflow 2.5.0 (cu112) */
function buildLabel(framework: string, version: string, b: FrameworkBuild): string {
  const main = b.packages[0];
  if (main?.version.includes("+")) return `${framework} ${main.version}`;
  const extras = main?.extras?.length ? `[${main.extras.join(",")}]` : "";
  return `${framework}${extras} ${version} (${cudaTag(b.cuda)})`;
}

// A build row's Build, made once for the data, framework and release it was made from (a test's
// copy of the data makes its own): it depends on nothing else, and is never changed after. A
// refusal lists every version that would work, and so converts every build of the framework;
// matching each against the rules of matrix/ was most of a refusal's time.
const converted = new WeakMap<FrameworkBuild, { m: Matrix; fw: FrameworkMatrix; release: FrameworkRelease; build: Build }>();

export function toBuild(m: Matrix, fw: FrameworkMatrix, release: FrameworkRelease, b: FrameworkBuild): Build {
  const known = converted.get(b);
  if (known && known.m === m && known.fw === fw && known.release === release) return known.build;
  const build = convert(m, fw, release, b);
  converted.set(b, { m, fw, release, build });
  return build;
}

function convert(m: Matrix, fw: FrameworkMatrix, release: FrameworkRelease, b: FrameworkBuild): Build {
  const key = { framework: fw.framework, version: release.version, cuda: b.cuda };
  const platform = wheelPlatform(m, key);
  const caps = capsFor(m, key);
  const compat = b.bundlesCuda ? undefined : libraryCompat(m, key);
  const bare = b.bundlesCuda ? undefined : unversionedNames(m, key);
  const compiler = b.bundlesCuda ? undefined : runtimeCompiler(m, key);
  const cc = hostCompiler(m, key);
  const pip: Build["pip"] = {};
  if (b.indexUrl) pip.indexUrl = b.indexUrl;
  if (b.extraIndexUrl) pip.extraIndexUrl = b.extraIndexUrl;
  if (b.findLinks) pip.findLinks = b.findLinks;
  return {
    framework: fw.framework,
    display: fw.display,
    version: release.version,
    cuda: b.cuda,
    cudnn: b.cudnn,
    isDefault: b.default === true,
    bundlesCuda: b.bundlesCuda,
    packages: b.packages,
    cudaWheels: b.cudaWheels ?? [],
    extraUnavailable: b.extraUnavailable ?? null,
    pip,
    python: b.python ?? release.python,
    experimentalPython: experimentalPythons(m, key),
    systemLibs: compat ? { cudnnFloor: compat.cudnnFloor, newerCudaMinor: compat.newerCudaMinor, sources: compat.sources } : null,
    unversionedNames: bare ? { names: bare.names, sources: bare.sources } : null,
    runtimeCompiler: compiler ? { why: compiler.why, sources: compiler.sources } : null,
    hostCompiler: cc ? { why: cc.why, sources: cc.sources } : null,
    arch: b.arch,
    ptx: b.ptx,
    cudaSm: toolkit(m, b.cuda)?.sm ?? [],
    wheelPlatform: platform ? { tag: platform.platform, glibc: platform.glibc, source: platform.source } : null,
    caps: caps.map((c) => ({ package: c.package, spec: c.spec, why: c.why, source: c.source })),
    requires: requiresFor(m, key).map((r) => ({ package: r.package, spec: r.spec, source: r.source })),
    sources: [release.source, b.source, b.archSource, b.cudaWheelsSource, platform?.source, ...caps.map((c) => c.source), ...(bare?.sources ?? []), ...(compiler?.sources ?? []), ...(cc?.sources ?? [])].filter((s): s is string => !!s),
    label: buildLabel(fw.framework, release.version, b),
    ...(isUnverified(release) ? { unverified: { reason: unverifiedReason(release), sources: release.unverifiedSources ?? [] } } : {}),
  };
}

function bareCuda(m: Matrix, version: string): Build {
  const tk = toolkit(m, version)!;
  const top = [...tk.sm].sort(newestFirst)[0]!;
  return {
    framework: "cuda",
    display: "CUDA",
    version: tk.version,
    cuda: tk.version,
    cudnn: null,
    isDefault: true,
    bundlesCuda: false,
    packages: [],
    cudaWheels: [],
    extraUnavailable: null,
    wheelPlatform: null,
    caps: [],
    requires: [],
    pip: {},
    python: [tool(m, "bareCudaPython")],
    experimentalPython: [],
    systemLibs: null,
    unversionedNames: null,
    runtimeCompiler: null,
    hostCompiler: null,
    arch: tk.sm,
    ptx: [top],
    cudaSm: tk.sm,
    sources: [tk.source, tk.smSource],
    label: `CUDA ${tk.version}`,
  };
}

/**
 * The releases a range allows, newest first. A release marked unverified (verified: false) is
 * matched only by its exact version (torch@2.15.0), never by default or by a range (torch, torch@2, torch@>=2.14).
 */
export function matchingReleases(fw: FrameworkMatrix, range: string | null): FrameworkRelease[] {
  return fw.releases
    .filter((r) => (range !== null && isExact(range) ? compare(r.version, range) === 0 : !isUnverified(r) && (range === null || satisfies(r.version, range))))
    .sort((a, b) => newestFirst(a.version, b.version));
}

/** Every build a spec may resolve to, best first; a problem when the version does not exist. */
export function candidatesFor(spec: Spec, m: Matrix, problems: Problem[]): Build[] {
  if (spec.name === "cuda") {
    // A toolkit row marked unverified is used only when the spec names its minor.
    const named = (v: string) => spec.range === v || spec.range!.startsWith(`${v}.`);
    const versions = m.cuda.toolkits.filter((t) => !isUnverified(t) || named(t.version)).map((t) => t.version).filter((v) => satisfies(v, spec.range!)).sort(newestFirst);
    if (versions.length === 0) {
      const all = m.cuda.toolkits.map((t) => t.version);
      problems.push({ code: "unknown-version", message: `No CUDA toolkit matches ${spec.range}.`, alternatives: nearest(spec.range!, all), hint: `Known CUDA versions: ${all[0]} to ${all[all.length - 1]}.` });
    }
    return versions.map((v) => bareCuda(m, v));
  }
  const fw = m.frameworks[spec.name as FrameworkName]!;
  const releases = matchingReleases(fw, spec.range);
  if (releases.length === 0) {
    const all = fw.releases.map((r) => r.version);
    problems.push({
      code: "unknown-version",
      message: `${fw.display} has no GPU release matching ${spec.range}.`,
      alternatives: nearest(spec.range!, all),
      hint: [
        `Known ${spec.name} versions: ${all[0]} to ${all[all.length - 1]}; \`cuda-scaffold list ${spec.name}\` shows them all.`,
        ...fw.releases.filter((r) => isUnverified(r) && spec.range !== null && satisfies(r.version, spec.range)).map((r) => `${fw.display} ${r.version} is in our data as unverified and is used only when asked for exactly (${spec.name}@${r.version}).`),
      ].join(" "),
    });
  }
  return releases.flatMap((r) =>
    r.builds
      .map((b) => toBuild(m, fw, r, b))
      .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || newestFirst(a.cuda, b.cuda)),
  );
}

/** The known versions closest to what was asked: same major.minor first, else the neighbours. */
export function nearest(asked: string, known: string[]): string[] {
  const base = asked.replace(/^[^0-9]*/, "").split(/[ ,|<>=^~]/)[0] ?? "";
  const prefix = base.split(".").slice(0, 2).join(".");
  const same = known.filter((v) => v === prefix || v.startsWith(`${prefix}.`));
  if (same.length) return same.slice(-3);
  const sorted = [...known].sort(compare);
  const below = sorted.filter((v) => compare(v, base) < 0).slice(-1);
  const above = sorted.filter((v) => compare(v, base) > 0).slice(0, 1);
  return [...below, ...above];
}
