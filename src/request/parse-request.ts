// argv values -> Request. Every value from outside is checked against what it may be before
// anything is resolved or rendered; all problems are collected and reported together.
import type { Matrix, FrameworkName } from "../matrix/data.js";
import { FRAMEWORK_NAMES } from "../matrix/lookup.js";
import { isValidRange } from "../matrix/versions.js";
import { UserError, suggest, type Problem } from "../errors.js";
import type { Request, Spec, Variant } from "./types.js";
import { resolveTargets } from "../resolve/targets.js";
import { parseCluster, type RawCluster } from "../cluster/options.js";
import { lockedMirror, parseMirror } from "../mirrors/parse-mirror.js";
import { parsePlatform } from "../resolve/platform.js";
import type { RawMirror } from "../mirrors/types.js";

export interface RawRequest {
  specs: string[];
  cuda?: string | undefined;
  python?: string | undefined;
  gpu?: string | undefined;
  /** --platform linux/amd64|linux/arm64 (absent: linux/amd64 unless an arm64-only --gpu is named) */
  platform?: string | undefined;
  driver?: string | undefined;
  os?: string | undefined;
  variant?: string | undefined;
  name?: string | undefined;
  gpus?: string | undefined;
  /** basename of the output folder, for the default --name */
  folderName: string;
  project: Request["project"];
  /** --with, --nodes, --registry, --runtime-class, --k8s-gfd */
  cluster?: RawCluster;
  /** --mirror (a preset, a file's text, or a lock's recorded choice) and --allow-insecure-mirror */
  mirror?: RawMirror | undefined;
  allowInsecureMirror?: boolean | undefined;
  /** --engine docker|podman (absent: docker) */
  engine?: string | undefined;
}

const VARIANTS: readonly Variant[] = ["devel", "runtime", "base"];
const MAX_LEN = 64;
const RANGE_CHARS = /^[0-9A-Za-z.*^~<>=|, -]+$/;
/** An NVIDIA driver version as nvidia-smi prints it (470.57.02, 535.104.05, 580.65): --driver, and what --driver auto finds. */
export const DRIVER_VERSION = /^[0-9]{3}\.[0-9]{1,3}(\.[0-9]{1,3})?$/;

/** Shows a value safely inside a message: control characters escaped, long values cut. */
export function show(value: string): string {
  const cut = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return JSON.stringify(cut);
}

function checkRange(label: string, value: string, problems: Problem[]): boolean {
  if (value.length > MAX_LEN || !RANGE_CHARS.test(value) || !isValidRange(value)) {
    problems.push({
      code: "invalid-value",
      message: `${label} ${show(value)} is not a version or range.`,
      hint: `Use an exact version (1.9.0), a partial one (1.9 = newest 1.9.x) or a range (^2.1, ">=2.0 <2.3").`,
    });
    return false;
  }
  return true;
}

export function frameworkNames(m: Matrix): Map<string, FrameworkName | "cuda"> {
  const names = new Map<string, FrameworkName | "cuda">([["cuda", "cuda"]]);
  for (const name of FRAMEWORK_NAMES) {
    const fw = m.frameworks[name];
    if (!fw) continue;
    names.set(name, name);
    for (const alias of fw.aliases) names.set(alias.toLowerCase(), name);
  }
  return names;
}

function parseSpec(raw: string, m: Matrix, problems: Problem[]): Spec | undefined {
  const at = raw.indexOf("@");
  const name = (at < 0 ? raw : raw.slice(0, at)).trim().toLowerCase();
  const range = at < 0 ? null : raw.slice(at + 1).trim();
  const names = frameworkNames(m);
  const canonical = names.get(name);
  if (!canonical) {
    const known = [...names.keys()];
    const close = /^[a-z0-9_-]{1,40}$/.test(name) ? [...new Set(suggest(name, known).map((k) => names.get(k)!))] : [];
    problems.push({
      code: "unknown-framework",
      message: `Unknown framework ${show(name || raw)}${close.length ? `: did you mean ${close.map((c) => `\`${c}\``).join(" or ")}?` : "."}`,
      alternatives: close.length ? close : [...FRAMEWORK_NAMES, "cuda"],
      hint: `Frameworks: ${[...FRAMEWORK_NAMES, "cuda"].join(", ")} (e.g. torch@1.9.0, tf@2.15, cuda@12.4).`,
    });
    return undefined;
  }
  if (range !== null && !checkRange(`The version in ${show(raw)}:`, range, problems)) return undefined;
  if (canonical === "cuda" && range === null) {
    problems.push({ code: "invalid-value", message: "`cuda` needs a version.", hint: "For example cuda@12.4 or cuda@11.8." });
    return undefined;
  }
  return { name: canonical, range: range === "" ? null : range };
}

/**
 * A project name is both the compose project name and the image repository name (`<name>:dev`), so
 * it follows Docker's image-name grammar — lower-case letters and digits, separated by one `_`, two
 * `__` or any run of `-`, never at either end — within compose's 63 characters.
 */
const NAME_MAX = 63;
const NAME_RULE = /^[a-z0-9]+(?:(?:_|__|-+)[a-z0-9]+)*$/;

export function isValidName(name: string): boolean {
  return name.length <= NAME_MAX && NAME_RULE.test(name);
}

/**
 * The default name, made from the output folder's name so that it passes the same rule as --name.
 * Accented Latin letters keep their base letter (Ünïcödé: unicode; compatibility decomposition, then
 * the combining marks dropped); other scripts have no such letter and fall back to "project".
 */
export function safeName(folder: string): string {
  const separators = (run: string) => (/^-+$/.test(run) || run === "_" || run === "__" ? run : "-");
  const trim = (x: string) => x.replace(/^[-_]+|[-_]+$/g, "");
  const latin = folder.normalize("NFKD").replace(/\p{M}+/gu, "");
  const cleaned = trim(trim(latin.toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/[-_]+/g, separators)).slice(0, NAME_MAX));
  return isValidName(cleaned) ? cleaned : "project";
}

export function parseRequest(raw: RawRequest, m: Matrix): Request {
  const problems: Problem[] = [];
  if (raw.specs.length === 0) {
    problems.push({ code: "invalid-value", message: "No framework given.", hint: "For example: cuda-scaffold torch@1.9.0" });
  }
  const specs = raw.specs.map((s) => parseSpec(s, m, problems)).filter((s): s is Spec => s !== undefined);
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.name)) problems.push({ code: "conflict", message: `${s.name} is asked for twice.`, hint: "Give each framework once." });
    seen.add(s.name);
  }
  if (specs.some((s) => s.name === "cuda") && specs.length > 1) {
    problems.push({ code: "conflict", message: "cuda@<version> is a bare CUDA environment and cannot be combined with a framework.", hint: "Pin CUDA for a framework with --cuda instead." });
  }

  if (raw.cuda !== undefined) checkRange("--cuda", raw.cuda, problems);
  if (raw.python !== undefined && !/^[23]\.[0-9]{1,2}$/.test(raw.python)) {
    problems.push({ code: "invalid-value", message: `--python ${show(raw.python)} is not a Python version.`, hint: "Use major.minor, e.g. --python 3.10." });
  }
  const gpu = (raw.gpu ?? "").split(",").map((g) => g.trim().toLowerCase()).filter(Boolean);
  for (const g of gpu) {
    if (g.length > MAX_LEN || !/^[a-z0-9 ._-]+$/.test(g)) problems.push({ code: "invalid-value", message: `--gpu ${show(g)} is not a GPU name or compute capability.`, hint: "Use names (a100, rtx3090) or capabilities (sm_80, 8.0), comma-separated." });
  }
  const wellFormed = gpu.filter((g) => g.length <= MAX_LEN && /^[a-z0-9 ._-]+$/.test(g));
  resolveTargets(wellFormed, m, problems);
  if (raw.driver !== undefined && !DRIVER_VERSION.test(raw.driver)) {
    problems.push({ code: "invalid-value", message: `--driver ${show(raw.driver)} is not an NVIDIA driver version.`, hint: "Use the version nvidia-smi prints, e.g. --driver 470.57.02." });
  }
  if (raw.os !== undefined && !m.platform.os.some((o) => o.name === raw.os)) {
    const names = m.platform.os.map((o) => o.name);
    const close = /^[a-z0-9.]{1,40}$/.test(raw.os) ? suggest(raw.os, names) : [];
    problems.push({ code: "unknown-os", message: `--os ${show(raw.os)} is not a container OS we know${close.length ? `: did you mean ${close.join(" or ")}?` : "."}`, alternatives: names, hint: `Known: ${names.join(", ")}.` });
  }
  if (raw.variant !== undefined && !VARIANTS.includes(raw.variant as Variant)) {
    problems.push({ code: "invalid-value", message: `--variant ${show(raw.variant)} is not a variant.`, alternatives: [...VARIANTS], hint: "Use devel, runtime or base." });
  }
  if (raw.name !== undefined && !isValidName(raw.name)) {
    problems.push({ code: "invalid-value", message: `--name ${show(raw.name)} is not a valid project name.`, hint: "Use lower-case letters and digits, separated by -, _ or __, starting and ending with a letter or digit (at most 63 characters; it names the compose project and the images)." });
  }
  const gpus = raw.gpus ?? "all";
  // A count is [1-9][0-9]*; a lone 0 is device 0; a number with a leading zero is neither.
  const id = "(0|[1-9][0-9]{0,2}|GPU-[0-9a-fA-F-]{8,64})";
  if (!new RegExp(`^(all|none|[1-9][0-9]{0,2}|${id}(,${id}){0,15})$`).test(gpus)) {
    const zeros = /(^|,)0[0-9]/.test(gpus);
    problems.push({ code: "invalid-value", message: `--gpus ${show(gpus)} is not a GPU selection${zeros ? " (a number with a leading zero is neither a count nor a device index)" : ""}.`, hint: "Use all, a count (2), device ids (0 is device 0; 0,1 or GPU-<uuid>), or none for a GPU-less setup." });
  } else {
    // A device named twice would be reserved twice (device_ids, --gpus "device=…", CDI devices).
    const ids = gpus.split(",");
    const twice = ids.find((d, i) => ids.indexOf(d) !== i);
    if (twice !== undefined) problems.push({ code: "invalid-value", message: `--gpus ${show(gpus)} names device ${twice} twice.`, hint: `Name each device once: --gpus ${[...new Set(ids)].join(",")}.` });
  }
  const cluster = parseCluster(raw.cluster ?? {}, raw.gpus, raw.name ?? safeName(raw.folderName), problems);
  const mirror = parseMirror(raw.mirror, raw.allowInsecureMirror === true, m, problems);
  const platform = parsePlatform(raw.platform, wellFormed, raw.os, m, problems);
  if (raw.engine !== undefined && raw.engine !== "docker" && raw.engine !== "podman") {
    problems.push({ code: "invalid-value", message: `--engine ${show(raw.engine)} is not a container engine cuda-scaffold generates for.`, alternatives: ["docker", "podman"], hint: "Use docker (the default) or podman (CDI devices, e.g. Oracle Linux and RHEL)." });
  }
  if (problems.length) throw new UserError(problems);
  return {
    specs,
    cuda: raw.cuda ?? null,
    python: raw.python ?? null,
    gpu,
    driver: raw.driver ?? null,
    os: raw.os ?? null,
    variant: (raw.variant as Variant | undefined) ?? "runtime",
    name: raw.name ?? safeName(raw.folderName),
    gpus,
    project: raw.project,
    ...(cluster ? { cluster } : {}),
    ...(mirror ? { mirror: lockedMirror(mirror) } : {}),
    ...(platform ? { platform } : {}),
    ...(raw.engine === "podman" ? { engine: "podman" as const } : {}),
  };
}
