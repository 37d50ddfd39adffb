// Chooses the container OS, the base image of the shared stage (which is the final image), what
// the dev stage adds for nvcc, and Python — never a deleted nvidia/cuda tag (SPEC §3.4).
import type { Matrix } from "../matrix/data.js";
import type { ContainerOs, CudaImage, CudaToolkit, NvidiaRuntimeImage } from "../matrix/types.gen.js";
import { containerOs, driverFloor, fillTool, imageTag, imagesForMinor, latestRelease, pythonRelease, toolkit } from "../matrix/lookup.js";
import { compare, major, majorMinor, newestFirst, satisfies } from "../matrix/versions.js";
import type { Variant } from "../request/types.js";
import type { BasePlan, Build, DriverFloor, StagePlan, Warning } from "./types.js";
import { imageHasArm64 } from "./platform.js";

export interface StackNeeds {
  cuda: string;
  /** cuDNN major.minor the system must carry (frameworks that load the system cuDNN), else null */
  systemCudnn: string | null;
  /** the system cuDNN is a floor within its major, not a pin: JAX's wheels check cuDNN >= the version they were built with, and so do the builds of matrix/library-compat.yaml */
  cudnnFloor: boolean;
  /** the sources of the rule that makes it a floor (empty when it is a pin) */
  cudnnFloorSources: string[];
  /** some framework loads the system CUDA libraries */
  systemCuda: boolean;
  /** builds that compile GPU code when the program runs, with CUDA's ptxas and libdevice (matrix/library-compat.yaml runtimeCompiler); null when none does */
  compiler: { labels: string[]; why: string[]; sources: string[] } | null;
  pythons: string[];
  /** Pythons some build marks experimental: chosen only when --python asks for one */
  experimentalPythons: string[];
  variant: Variant;
  os: string | null;
  pythonPin: string | null;
  /** the host's driver (--driver), when given: images and packages must not need a newer one */
  driver: string | null;
  /** the highest glibc floor of the builds' wheels, with the build that sets it */
  glibc: { version: string; label: string; tag: string } | null;
  /** linux/arm64: only nvidia/cuda tags with an arm64 variant (matrix/arm64.yaml) */
  arm64?: boolean;
}

export function stackNeeds(builds: Build[], cuda: string, variant: Variant, os: string | null, pythonPin: string | null, driver: string | null = null): StackNeeds {
  const system = builds.filter((b) => !b.bundlesCuda);
  const cudnnBuild = system.find((b) => b.cudnn !== null);
  const cudnn = cudnnBuild?.cudnn ?? null;
  const precision = cudnn ? cudnn.split(".").slice(0, 2).join(".") : null;
  let pythons = builds[0]?.python ?? [];
  for (const b of builds.slice(1)) pythons = pythons.filter((p) => b.python.includes(p));
  const glibc = builds
    .filter((b) => b.wheelPlatform)
    .map((b) => ({ version: b.wheelPlatform!.glibc, label: b.label, tag: b.wheelPlatform!.tag }))
    .sort((a, b) => newestFirst(a.version, b.version))[0] ?? null;
  const experimentalPythons = [...new Set(builds.flatMap((b) => b.experimentalPython))];
  const compiling = system.filter((b) => b.runtimeCompiler);
  const compiler = compiling.length
    ? { labels: compiling.map((b) => b.label), why: [...new Set(compiling.map((b) => b.runtimeCompiler!.why))], sources: [...new Set(compiling.flatMap((b) => b.runtimeCompiler!.sources))] }
    : null;
  return { cuda, experimentalPythons, systemCudnn: precision, cudnnFloor: cudnnBuild?.systemLibs?.cudnnFloor === true, cudnnFloorSources: cudnnBuild?.systemLibs?.cudnnFloor ? cudnnBuild.systemLibs.sources : [], systemCuda: system.length > 0, compiler, pythons, variant, os, pythonPin, driver, glibc };
}

const OS_PREFERENCE = (a: ContainerOs, b: ContainerOs): number =>
  (a.family === b.family ? 0 : a.family === "debian" ? -1 : 1) || newestFirst(a.name.replace(/^\D+/, ""), b.name.replace(/^\D+/, ""));

/**
 * NVIDIA's package names for CUDA X.Y in this OS's package family (matrix/nvidia-packages.yaml):
 * nvcc and the development libraries for the dev target, nvcc alone (with ptxas and libdevice) for
 * a runtime that compiles GPU code, the runtime libraries otherwise.
 * Undefined when the recorded repository has no such package for this CUDA.
 */
export function cudaPackages(m: Matrix, tk: CudaToolkit, kind: "runtime" | "dev" | "compiler", os: ContainerOs): string[] | undefined {
  const [X = "", Y = ""] = tk.version.split(".");
  const family = m.nvidiaPackages.families.find((f) => f.family === (os.family === "debian" ? "deb" : "rpm") && f.repos.includes(os.nvidiaRepo));
  const roles = kind === "dev" ? (["nvcc", "dev"] as const) : kind === "compiler" ? (["nvcc"] as const) : (["runtime"] as const);
  const perRole = roles.map((role) => (family?.packages ?? []).filter((p) => p.role === role && satisfies(tk.version, p.cuda)).map((p) => p.name));
  if (perRole.some((names) => names.length === 0)) return undefined;
  return [...new Set(perRole.flat().map((n) => n.replace(/\{X\}/g, X).replace(/\{Y\}/g, Y)))];
}

/**
 * Does a cuDNN version satisfy what a framework asks for, at the precision it asks ("7" or "8.1")?
 * A floor (JAX) is met by the same major at that version or later.
 */
export function cudnnMatches(have: string, need: string, floor = false): boolean {
  if (floor) return major(have) === major(need) && compare(have, need) >= 0;
  const h = have.split(".");
  const n = need.split(".");
  return n.every((p, i) => h[i] === p);
}

/** NVIDIA's runtime image for a CUDA minor on a Debian-family OS (matrix/nvidia-packages.yaml runtimeImages), where the data records it. */
export function runtimeImage(m: Matrix, os: ContainerOs, cuda: string): NvidiaRuntimeImage | undefined {
  if (os.family !== "debian") return undefined;
  return (m.nvidiaPackages.runtimeImages ?? []).find((r) => r.repo === os.nvidiaRepo && r.cuda === cuda);
}

/** A package file downloaded on its own (from NVIDIA's retired machine-learning repository). */
export interface Download {
  url: string;
  file: string;
  /** from the data where a public source records it; null where none does */
  sha256: string | null;
}

/**
 * The cuDNN package for a CUDA on an OS: a package name in NVIDIA's CUDA repository, or a file of
 * the machine-learning repository, which is still signed with the key retired in 2022 and so is
 * never added as an apt source (matrix/nvidia-packages.yaml, mlRepo).
 */
function cudnnPackage(m: Matrix, cudnn: string, floor: boolean, cuda: string, os: ContainerOs): ({ name: string } | { download: Download }) & { version: string } | undefined {
  const pkg = (m.cuda.cudnn ?? [])
    .filter((c) => cudnnMatches(c.version, cudnn, floor) && c.cuda === cuda && c.repos.includes(os.nvidiaRepo))
    .filter((c) => c.repository === "cuda" || os.family === "debian")
    .sort((a, b) => newestFirst(a.version, b.version))[0];
  if (!pkg) return undefined;
  if (pkg.repository !== "machine-learning") {
    return { version: pkg.version, name: fillTool(m, os.family === "debian" ? "cudnnDebPackage" : "cudnnRpmPackage", { MAJOR: String(major(pkg.version)), VERSION: pkg.version, CUDA: cuda }) };
  }
  const ml = m.nvidiaPackages.mlRepo;
  const fill: Record<string, string> = { REPO: os.nvidiaRepo, PACKAGE: `libcudnn${major(pkg.version)}`, VERSION: pkg.version, CUDA: cuda };
  const url = ml.debUrlPattern.replace(/\{([A-Z]+)\}/g, (whole, key: string) => fill[key] ?? whole);
  const sha256 = ml.pinnedFiles.find((f) => f.url === url)?.sha256 ?? null;
  return { version: pkg.version, download: { url, file: url.slice(url.lastIndexOf("/") + 1), sha256 } };
}

function pickPython(m: Matrix, needs: StackNeeds, os: ContainerOs): BasePlan["python"] | undefined {
  // The newest officially supported Python first; an experimental one only when nothing else fits
  // (or --python names it).
  const experimental = (p: string) => Number(needs.experimentalPythons.includes(p));
  const wanted = [...needs.pythons].filter((p) => !needs.pythonPin || p === needs.pythonPin).sort((a, b) => experimental(a) - experimental(b) || newestFirst(a, b));
  for (const p of wanted) {
    if (pythonRelease(m, p)?.uv) return { version: p, source: "uv" };
    if (os.systemPython === p) return { version: p, source: "system" };
  }
  return undefined;
}

/** The newest nvidia/cuda row of this CUDA minor and OS that is not deleted and has the flavour. */
function liveImage(m: Matrix, needs: StackNeeds, os: ContainerOs, flavor: "base" | "runtime" | "devel"): { row: CudaImage; cudnnTag?: string; cudnn?: string } | undefined {
  for (const row of imagesForMinor(m, needs.cuda, os.name)) {
    if (row.status === "deleted" || !row.flavors.includes(flavor)) continue;
    // A -cudnn tag (system cuDNN, not the base flavour) has its own arm64 exceptions in matrix/arm64.yaml.
    if (needs.arm64 && !imageHasArm64(m, row.cuda, os.name, !!needs.systemCudnn && flavor !== "base")) continue;
    // With --driver, the newest patch of the minor that the host's driver runs.
    if (needs.driver && compare(driverFloor(m, row.cuda) ?? "0", needs.driver) > 0) continue;
    if (!needs.systemCudnn || flavor === "base") return { row };
    const variant = [...row.cudnn].sort((a, b) => newestFirst(a.version, b.version)).find((c) => cudnnMatches(c.version, needs.systemCudnn!, needs.cudnnFloor));
    if (variant) return { row, cudnnTag: variant.tag, cudnn: variant.version };
  }
  return undefined;
}

/** The tag NVIDIA would have published for this stack (for messages about deleted tags). */
function nominalTag(m: Matrix, needs: StackNeeds, os: ContainerOs, flavor: "base" | "runtime" | "devel"): string {
  const row = imagesForMinor(m, needs.cuda, os.name)[0];
  if (!row) return `nvidia/cuda:${needs.cuda}-${flavor}-${os.name}`;
  const variant = needs.systemCudnn && flavor !== "base" ? (row.cudnn.find((c) => cudnnMatches(c.version, needs.systemCudnn!, needs.cudnnFloor)) ?? row.cudnn[0]) : undefined;
  return `nvidia/cuda:${imageTag(row, flavor, variant?.tag)}`;
}

/**
 * Why no live nvidia/cuda image serves the stack on this OS: NVIDIA deleted the tags, never
 * published the CUDA minor for this OS, or its live images carry another cuDNN or need a newer
 * driver than --driver. `short` heads the plan's why, `text` the warning.
 */
function noLiveImage(m: Matrix, needs: StackNeeds, os: ContainerOs, flavor: "base" | "runtime" | "devel"): { code: "base-image-deleted" | "base-image-unavailable"; short: string; text: string } {
  const nominal = nominalTag(m, needs, os, flavor);
  // A CUDA minor with no nvidia/cuda row at all (one added from other sources than the tag lists) has no tag we know of, deleted or not.
  if (!m.images.images.some((i) => majorMinor(i.cuda) === needs.cuda)) {
    return { code: "base-image-unavailable", short: `${nominal} is not a tag we know of`, text: `our data records no nvidia/cuda ${needs.cuda} image (matrix/images.yaml)` };
  }
  const rows = imagesForMinor(m, needs.cuda, os.name).filter((r) => r.flavors.includes(flavor));
  const live = rows.filter((r) => r.status !== "deleted");
  if (!rows.length) {
    const text = `NVIDIA published no nvidia/cuda ${needs.cuda} ${flavor} image for ${os.name}`;
    return { code: "base-image-unavailable", short: text, text };
  }
  if (!live.length) return { code: "base-image-deleted", short: `${nominal} is gone`, text: `NVIDIA has deleted ${nominal}` };
  const driverOk = live.filter((r) => !needs.driver || compare(driverFloor(m, r.cuda) ?? "0", needs.driver) <= 0);
  const text = !driverOk.length
    ? `every live nvidia/cuda ${needs.cuda} ${flavor} image for ${os.name} needs a newer driver than --driver ${needs.driver}`
    : !needs.systemCudnn
      ? `no live nvidia/cuda ${needs.cuda} ${flavor} image for ${os.name} fits this stack`
      : `no live nvidia/cuda ${needs.cuda} image for ${os.name} carries cuDNN ${needs.systemCudnn}${needs.cudnnFloor ? ` or a later ${major(needs.systemCudnn!)}.x` : ""} (${[...new Set(driverOk.flatMap((r) => r.cudnn.map((c) => c.version)))].join(", ")})`;
  return { code: "base-image-unavailable", short: text, text };
}

export type PlanFailure = { ok: false; kind: "no-python" | "no-base-image"; reason: string };
export type PlanResult = { ok: true; plan: BasePlan } | PlanFailure;

function planOnOs(m: Matrix, needs: StackNeeds, os: ContainerOs, tk: CudaToolkit): PlanResult {
  if (needs.glibc && compare(os.glibc, needs.glibc.version) < 0) {
    return { ok: false, kind: "no-base-image", reason: `${os.name} has glibc ${os.glibc}, and the ${needs.glibc.label} wheels are ${needs.glibc.tag} (glibc ${needs.glibc.version} or newer)` };
  }
  const python = pickPython(m, needs, os);
  if (!python) {
    return { ok: false, kind: "no-python", reason: `no Python of ${needs.pythons.join("/") || "(none)"}${needs.pythonPin ? ` matching --python ${needs.pythonPin}` : ""} installs on ${os.name}` };
  }
  if (needs.variant === "base" && needs.systemCuda) {
    return { ok: false, kind: "no-base-image", reason: "--variant base carries no CUDA libraries, and this framework loads them from the system (use --variant runtime)" };
  }
  const flavor = needs.variant === "devel" ? "devel" : needs.variant === "runtime" && needs.systemCuda ? "runtime" : "base";
  const inRepo = tk.repos.includes(os.nvidiaRepo);
  // A devel image or stack has nvcc, and with it ptxas and libdevice; a runtime one has neither.
  let compiler: BasePlan["compiler"];
  if (needs.compiler && flavor === "runtime") {
    const packages = inRepo ? cudaPackages(m, tk, "compiler", os) : undefined;
    if (!packages) {
      const repo = inRepo ? `our record of NVIDIA's ${os.nvidiaRepo} repository names no CUDA ${needs.cuda} nvcc package` : `NVIDIA's ${os.nvidiaRepo} repository does not carry CUDA ${needs.cuda}`;
      return { ok: false, kind: "no-base-image", reason: `${needs.compiler.labels.join(" and ")} ${needs.compiler.labels.length > 1 ? "compile" : "compiles"} GPU code when the program runs, with CUDA's ptxas, which no runtime image has, and ${repo} (--variant devel carries it)` };
    }
    compiler = { packages, ...needs.compiler };
  }
  const warnings: Warning[] = [];
  const floors: DriverFloor[] = [];
  let laterCudnn: BasePlan["laterCudnn"];
  const live = liveImage(m, needs, os, flavor);
  let base: StagePlan;
  if (live) {
    const ref = `nvidia/cuda:${imageTag(live.row, flavor, flavor === "base" ? undefined : live.cudnnTag)}`;
    laterCudnn = laterCudnnOf(needs, live.cudnn);
    base = { from: ref, kind: "nvidia", image: live.row, packages: [], downloads: [], cuda: live.row.cuda, ...(live.cudnn && flavor !== "base" ? { cudnn: live.cudnn } : {}), why: `${ref} is NVIDIA's ${flavor} image for CUDA ${live.row.cuda} on ${os.name} (${live.row.status})${laterCudnnWhy(needs, laterCudnn)}` };
    if (live.row.status === "eol") warnings.push({ code: "base-image-eol", message: `${ref} is end-of-life: NVIDIA no longer updates it and deletes such tags some months after end of life. Regenerate with a newer framework or CUDA when you can.` });
    floors.push({ driver: driverFloor(m, live.row.cuda) ?? "0", why: `CUDA ${live.row.cuda} in ${ref}`, source: tk.source });
  } else if (needs.arm64) {
    // The package lists in matrix/nvidia-packages.yaml are those of NVIDIA's x86_64 repositories.
    return { ok: false, kind: "no-base-image", reason: `no live nvidia/cuda ${flavor} image with a linux/arm64 variant for CUDA ${needs.cuda} on ${os.name} (matrix/arm64.yaml), and the data records NVIDIA's package lists for x86_64 only` };
  } else {
    const missing = noLiveImage(m, needs, os, flavor);
    const needsLibs = flavor !== "base";
    if (needsLibs && !inRepo) {
      return { ok: false, kind: "no-base-image", reason: `no live nvidia/cuda ${flavor} image for CUDA ${needs.cuda} on ${os.name}, and NVIDIA's ${os.nvidiaRepo} repository does not carry CUDA ${needs.cuda}` };
    }
    const libs = needsLibs ? cudaPackages(m, tk, flavor === "devel" ? "dev" : "runtime", os) : [];
    if (!libs) return { ok: false, kind: "no-base-image", reason: `no live nvidia/cuda ${flavor} image for CUDA ${needs.cuda} on ${os.name}, and our record of NVIDIA's ${os.nvidiaRepo} repository names no CUDA ${needs.cuda} ${flavor} packages` };
    // What NVIDIA's runtime image for this CUDA and OS installs, as its Dockerfile pins it: the runtime
    // meta package alone lacks NVTX and NCCL, which the runtime images add (matrix/nvidia-packages.yaml
    // runtimeImages). A devel stack adds its nvcc and -dev packages on top, as NVIDIA's devel images
    // build on the runtime ones.
    const image = needsLibs ? runtimeImage(m, os, needs.cuda) : undefined;
    const packages = image ? [...image.packages, ...(flavor === "devel" ? libs : [])] : [...libs];
    const downloads: Download[] = (image?.downloads ?? []).map((d) => ({ url: d.url, file: d.url.slice(d.url.lastIndexOf("/") + 1), sha256: d.sha256 }));
    if (needsLibs && needs.systemCudnn) {
      const pkg = cudnnPackage(m, needs.systemCudnn, needs.cudnnFloor, needs.cuda, os);
      const cudnn = `cuDNN ${needs.systemCudnn}${needs.cudnnFloor ? ` (or a later ${major(needs.systemCudnn)}.x)` : ""}`;
      if (!pkg) return { ok: false, kind: "no-base-image", reason: `no live image carries ${cudnn} for CUDA ${needs.cuda} on ${os.name}, and NVIDIA's ${os.nvidiaRepo} repositories have no such cuDNN package for it in our data` };
      if ("name" in pkg) packages.push(pkg.name);
      else downloads.push(pkg.download);
      laterCudnn = laterCudnnOf(needs, pkg.version);
    }
    const rest = needsLibs
      ? `CUDA ${needs.cuda}${needs.systemCudnn ? ` and cuDNN ${needs.systemCudnn} come` : " comes"} from NVIDIA's ${os.nvidiaRepo} repository on the plain ${os.image} image${image ? ` (what ${image.image} installs, as NVIDIA pins it)` : ""}${laterCudnnWhy(needs, laterCudnn, "NVIDIA's package is")}`
      : `the framework wheels bundle the CUDA runtime${needs.systemCudnn ? "" : " and cuDNN"}, so the plain ${os.image} image is enough`;
    const why = `${missing.short}${needsLibs ? ", so" : ";"} ${rest}`;
    base = { from: os.image, kind: "os", packages, downloads, cuda: needsLibs ? latestRelease(tk) : null, why };
    warnings.push({ code: missing.code, message: `${missing.text}; ${rest}.` });
    if (needsLibs) floors.push({ driver: driverFloor(m, latestRelease(tk)) ?? "0", why: `CUDA ${latestRelease(tk)} from NVIDIA's repository`, source: tk.source });
  }
  let devPackages: string[] = [];
  if (flavor !== "devel") {
    const dev = inRepo ? cudaPackages(m, tk, "dev", os) : undefined;
    if (dev) {
      // What the base stage installs already (nvcc, for a runtime compiler) is not installed again.
      devPackages = dev.filter((p) => !compiler?.packages.includes(p));
      floors.push(nvccFloor(m, tk, needs.driver));
    } else {
      warnings.push({ code: "dev-without-nvcc", message: `NVIDIA's ${os.nvidiaRepo} repository does not carry CUDA ${needs.cuda}, so the dev target has no nvcc; choose another --os to get one.` });
    }
  }
  return { ok: true, plan: { os, base, devPackages, ...(compiler ? { compiler } : {}), python, ...(laterCudnn ? { laterCudnn } : {}), floors, warnings } };
}

/** The cuDNN the base carries, when it meets the build's only as a floor (a later minor than the build's). */
function laterCudnnOf(needs: StackNeeds, have: string | undefined): BasePlan["laterCudnn"] {
  if (!have || !needs.systemCudnn || !needs.cudnnFloor || cudnnMatches(have, needs.systemCudnn)) return undefined;
  return { version: have, sources: needs.cudnnFloorSources };
}

function laterCudnnWhy(needs: StackNeeds, later: BasePlan["laterCudnn"], what = "it carries"): string {
  return later
    ? `; ${what} cuDNN ${later.version}, a later ${major(later.version)}.x than the ${needs.systemCudnn} the build was compiled with, which the build accepts (matrix/library-compat.yaml; ${later.sources[0]})`
    : "";
}

/**
 * The driver the dev target's nvcc needs. apt installs the newest patch of the minor, whose floor
 * it is. When the host's driver (--driver) is older than that floor but meets the minor's first
 * release, the nvcc of any patch still serves it: patches of one minor share its PTX ISA, and
 * from CUDA 11 on, minor version compatibility runs their libraries on the minor's drivers.
 */
function nvccFloor(m: Matrix, tk: CudaToolkit, driver: string | null): DriverFloor {
  const latest = latestRelease(tk);
  const latestFloor = driverFloor(m, latest) ?? "0";
  const ga = [...tk.releases].sort((a, b) => compare(a.version, b.version))[0];
  if (driver && tk.compatDriver && ga && compare(latestFloor, driver) > 0 && compare(ga.driver, driver) <= 0) {
    return { driver: ga.driver, why: `nvcc ${tk.version} in the dev target (any ${tk.version} patch: they share the PTX ISA, and minor version compatibility covers the libraries)`, source: m.cuda.minorVersionCompatibility.source };
  }
  return { driver: latestFloor, why: `nvcc ${latest} in the dev target, from NVIDIA's repository`, source: tk.source };
}

export function planBase(m: Matrix, needs: StackNeeds): PlanResult {
  const tk = toolkit(m, needs.cuda);
  if (!tk) return { ok: false, kind: "no-base-image", reason: `CUDA ${needs.cuda} is not in our CUDA table` };
  const candidates = needs.os
    ? [containerOs(m, needs.os)].filter((o): o is ContainerOs => o !== undefined)
    : m.platform.os
        .filter((o) => tk.repos.includes(o.nvidiaRepo) || imagesForMinor(m, needs.cuda, o.name).length > 0)
        .sort(OS_PREFERENCE);
  if (candidates.length === 0) return { ok: false, kind: "no-base-image", reason: `no container OS carries CUDA ${needs.cuda}${needs.os ? ` on ${needs.os}` : ""}` };
  let firstFailure: PlanFailure | undefined;
  let fallback: PlanResult | undefined;
  for (const os of candidates) {
    const result = planOnOs(m, needs, os, tk);
    if (!result.ok) {
      firstFailure ??= result;
      continue;
    }
    // Prefer an OS where NVIDIA still publishes the image; otherwise the first that works.
    if (result.plan.base.kind === "nvidia") return withSupportedOses(m, needs, tk, candidates, result);
    fallback ??= result;
  }
  if (fallback) return withSupportedOses(m, needs, tk, candidates, fallback);
  const others = candidates.slice(1).map((o) => o.name);
  return { ok: false, kind: firstFailure?.kind ?? "no-base-image", reason: `${firstFailure?.reason ?? "no base image"}${others.length ? ` (nor on ${others.join(", ")})` : ""}` };
}

/** Has this OS reached the end of its standard support by the data's date? */
export function osEol(m: Matrix, os: ContainerOs): boolean {
  return compare(os.eol.replace(/-/g, "."), m.platform.asOf.replace(/-/g, ".")) < 0;
}

/**
 * When the chosen OS is out of support and no --os pinned it, the supported OSes on which the same
 * stack also plans, in preference order: the os-eol warning names them.
 */
function withSupportedOses(m: Matrix, needs: StackNeeds, tk: CudaToolkit, candidates: ContainerOs[], result: PlanResult): PlanResult {
  if (!result.ok || needs.os || !osEol(m, result.plan.os)) return result;
  const supported = candidates.filter((o) => o !== result.plan.os && !osEol(m, o) && planOnOs(m, needs, o, tk).ok).map((o) => o.name);
  return supported.length ? { ok: true, plan: { ...result.plan, supportedOses: supported } } : result;
}

export function floorOf(floors: DriverFloor[]): DriverFloor | undefined {
  return [...floors].sort((a, b) => compare(b.driver, a.driver))[0];
}
