// A project folder -> ProjectReading. Finds the dependency files, reads each one safely (regular
// files of bounded size, no link leading out of the folder, no FIFO or device), parses it as its
// format and classifies what it says. Nothing in the project is ever executed.
import { createHash } from "node:crypto";
import { lstatSync, readdirSync, realpathSync, statSync } from "node:fs";
import { join, posix, relative, resolve, sep } from "node:path";
import type { Matrix } from "../matrix/data.js";
import { readRegularFile, formatBytes } from "../read-regular-file.js";
import { fail } from "../errors.js";
import { CPU_ONLY, classify, cudaFromIndexUrl, cudaFromPaddlePost, cudaFromTag, frameworkOf } from "./classify.js";
import { parseCondaEnv } from "./conda-env.js";
import { type Entry, quote, unparsable } from "./entries.js";
import { evaluateMarker } from "./markers.js";
import { localLabel, withoutLocal } from "./pep508.js";
import { parseRequirementsTxt } from "./requirements-txt.js";
import { parseSetupCfg } from "./setup-cfg.js";
import { parseSetupPy } from "./setup-py.js";
import { parseLockFile, parsePipfile, parsePyproject } from "./toml-files.js";
import type { FileKind, Origin, ProjectReading } from "./types.js";
import { checkConflicts } from "./conflicts.js";

export const MAX_FILE_BYTES = 1024 * 1024;
export const MAX_LOCK_BYTES = 8 * 1024 * 1024;
const MAX_FILES = 32;
const MAX_INCLUDE_DEPTH = 8;

const FIXED: Record<string, FileKind> = {
  "setup.py": "setup.py",
  "setup.cfg": "setup.cfg",
  "pyproject.toml": "pyproject",
  Pipfile: "pipfile",
  "uv.lock": "uv.lock",
  "poetry.lock": "poetry.lock",
};
const SIDE_FILES = /(^|[-_.])(cpu|mac|macos|osx|darwin|win|windows|doc|docs|test|tests|dev|lint|rocm|tpu|dcu|npu|xpu|mps)([-_.]|$)/i;

/** The dependency files of a folder, in the order they are read, and those present but not read. */
export function discover(dir: string): { files: { path: string; kind: FileKind }[]; skipped: { path: string; why: string }[] } {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    fail({ code: "invalid-value", message: `--project ${dir}: ${code === "ENOENT" ? "no such folder" : code === "ENOTDIR" ? "not a folder" : `cannot be read (${code})`}.`, hint: "Give the folder that holds the project's requirements.txt, environment.yml, setup.py or pyproject.toml." });
  }
  const files: { path: string; kind: FileKind }[] = [];
  const skipped: { path: string; why: string }[] = [];
  const family = (re: RegExp, main: string[], kind: FileKind) => {
    const all = names.filter((n) => re.test(n));
    const mains = all.filter((n) => main.includes(n));
    const chosen = mains.length ? mains : all.filter((n) => !SIDE_FILES.test(n.replace(/\.[a-z]+$/i, "").replace(/^(requirements|environment)/i, "")));
    for (const n of all) {
      if (chosen.includes(n)) files.push({ path: n, kind });
      else skipped.push({ path: n, why: mains.length ? `${mains[0]} is read (and what it includes)` : "a variant for another platform or purpose" });
    }
  };
  family(/^environment[\w.-]*\.ya?ml$/i, ["environment.yml", "environment.yaml"], "conda");
  family(/^requirements[\w.-]*\.txt$/i, ["requirements.txt"], "requirements");
  for (const n of ["setup.py", "setup.cfg", "pyproject.toml", "Pipfile", "uv.lock", "poetry.lock"]) if (names.includes(n)) files.push({ path: n, kind: FIXED[n]! });
  return { files, skipped };
}

/** Reads one file of the project, refusing links that leave it and anything but a regular file. */
function readSafe(root: string, rel: string, kind: FileKind): { text: string; sha256: string } {
  const path = join(root, rel);
  const limit = kind === "uv.lock" || kind === "poetry.lock" ? MAX_LOCK_BYTES : MAX_FILE_BYTES;
  let target = path;
  let follow = false;
  try {
    if (lstatSync(path).isSymbolicLink()) {
      const real = realpathSync(path);
      const realRoot = realpathSync(root);
      if (real !== realRoot && !real.startsWith(realRoot + sep)) {
        fail({ code: "unsafe-path", message: `${rel} is a symbolic link to ${real}, outside the project folder; it is not read.`, hint: "Copy the file into the project instead of linking to it." });
      }
      target = real;
      follow = true;
    }
  } catch (err) {
    if ((err as { problems?: unknown }).problems) throw err;
  }
  const read = readRegularFile(target, { maxBytes: limit, followLinks: follow });
  if (!read.ok) {
    if (read.kind === "too-large") fail({ code: "invalid-value", message: `${rel} is larger than ${formatBytes(limit)}; a dependency file that large is not read.`, hint: "Give the framework on the command line instead, e.g. cuda-scaffold torch@2.5.1." });
    fail({ code: read.kind === "special" || read.kind === "link" ? "unsafe-path" : "invalid-value", message: `${rel} ${read.reason}; it is not read.`, hint: "Replace it with a regular file, or give the framework on the command line." });
  }
  return { text: read.text, sha256: createHash("sha256").update(read.text, "utf8").digest("hex") };
}

function parseFile(kind: FileKind, text: string, file: string): Entry[] {
  switch (kind) {
    case "requirements": return parseRequirementsTxt(text, file);
    case "setup.py": return parseSetupPy(text, file);
    case "setup.cfg": return parseSetupCfg(text, file);
    case "pyproject": return parsePyproject(text, file);
    case "conda": return parseCondaEnv(text, file);
    case "pipfile": return parsePipfile(text, file);
    case "uv.lock": return parseLockFile(text, file, "uv");
    case "poetry.lock": return parseLockFile(text, file, "poetry");
  }
}

/** Python specifiers at major.minor precision: "==3.8.5" -> "==3.8.*", ">=3.6.1" -> ">=3.6". */
export function pythonAtMinor(spec: string): string {
  return spec.split(",").filter(Boolean).flatMap((c) => {
    const m = /^(~=|===|==|!=|<=|>=|<|>)([0-9][0-9.]*)(\.\*)?$/.exec(c.trim());
    if (!m) return [];
    const [maj, min] = m[2]!.split(".");
    const mm = min === undefined ? `${maj}` : `${maj}.${min}`;
    const deeper = m[2]!.split(".").length > 2;
    switch (m[1]) {
      case "==": case "===": return [min === undefined ? `==${maj}.*` : `==${mm}.*`];
      case "~=": case ">=": return [`>=${mm}`];
      case ">": return deeper ? [`>=${mm}`] : [`>${mm}`];
      case "<": return deeper ? [`<=${mm}`] : [`<${mm}`];
      case "<=": return [`<=${mm}`];
      default: return deeper ? [] : m[3] ? [] : [`!=${mm}`];
    }
  }).join(",");
}

/** How the framework-specific index options of a project are treated: the build's index replaces them. */
function frameworkIndex(url: string): string | null {
  if (/download(-r2)?\.pytorch\.org\/whl/.test(url)) return "PyTorch";
  if (/storage\.googleapis\.com\/jax-releases/.test(url)) return "JAX";
  if (/paddlepaddle\.org\.cn\/(whl|packages)/.test(url)) return "PaddlePaddle";
  return null;
}

/** `-e git+URL#egg=name` as `name @ git+URL` (pip and uv install a VCS checkout that way in an image). */
export function vcsAsRequirement(line: string, name: string | null): string {
  const [url, fragment = ""] = line.split("#");
  const rest = fragment.split("&").filter((f) => f && !f.startsWith("egg="));
  const full = `${url}${rest.length ? `#${rest.join("&")}` : ""}`;
  return name ? `${name} @ ${full}` : full;
}

interface Walk {
  root: string;
  reading: ProjectReading;
  m: Matrix;
  seen: Set<string>;
}

function add(walk: Walk, entries: Entry[], file: string, depth: number): void {
  const { reading, m } = walk;
  for (const e of entries) {
    switch (e.kind) {
      case "include": {
        const target = posix.normalize(posix.join(posix.dirname(file), e.target.replace(/\\/g, "/")));
        if (e.constraint) {
          reading.notInstalled.push({ origin: e.origin, why: "a constraints file: pip reads it only to bound versions, so its own lines are not installed" });
          break;
        }
        if (target.startsWith("../") || posix.isAbsolute(target) || /^[a-z]+:\/\//i.test(e.target)) {
          fail({ code: "unsafe-path", message: `${quote(e.origin)} includes ${e.target}, outside the project folder; it is not read.`, hint: "Keep included requirements files inside the project." });
        }
        if (depth >= MAX_INCLUDE_DEPTH) throw unparsable(e.origin.file, e.origin.line, `includes nest deeper than ${MAX_INCLUDE_DEPTH} files (a cycle?).`);
        readOne(walk, target, "requirements", depth + 1, e.origin);
        break;
      }
      case "python":
        reading.python.push({ spec: pythonAtMinor(e.spec), origin: e.origin });
        break;
      case "hint":
        reading.cudaHints.push(e.hint);
        break;
      case "not-installed":
        reading.notInstalled.push({ origin: e.origin, why: e.why });
        break;
      case "conda-only":
        reading.condaOnly.push(e.origin);
        break;
      case "warning":
        reading.warnings.push({ origin: e.origin, message: e.message });
        break;
      case "locked": {
        const fw = frameworkOf(e.name);
        if (fw) {
          const label = /\+([A-Za-z0-9.]+)$/.exec(e.version)?.[1] ?? null;
          reading.frameworks.push({ framework: fw, package: e.name, spec: `==${e.version.replace(/\+.*$/, "")}`, extras: [], origin: e.origin, unpinnable: null, cpu: label === "cpu", locked: true });
        } else if (!reading.locked.has(e.name)) reading.locked.set(e.name, { version: e.version, origin: e.origin });
        break;
      }
      case "option": {
        const which = e.value ? frameworkIndex(e.value) : null;
        if (which) {
          const cuda = cudaFromIndexUrl(e.value!);
          const fw = which === "PyTorch" ? "torch" : which === "JAX" ? "jax" : "paddle";
          if (cuda) reading.cudaHints.push({ cuda, via: `the index ${e.value}`, origin: e.origin, framework: fw });
          reading.rewrites.push({ origin: e.origin, to: null, why: `the ${which} index for the framework's build is set by cuda-scaffold` });
        } else reading.dependencies.push({ line: e.value ? `${e.option} ${e.value}` : e.option, name: null, kind: "option", origin: e.origin });
        break;
      }
      case "direct": {
        const fw = e.name ? frameworkOf(e.name) : undefined;
        if (fw) {
          const hint = fw === "paddle" && e.version ? cudaFromPaddlePost(m, e.version) : e.version && localLabel(`==${e.version}`) ? cudaFromTag(localLabel(`==${e.version}`)!) : null;
          if (hint) reading.cudaHints.push({ cuda: hint, via: `the wheel ${e.line}`, origin: e.origin, framework: fw });
          reading.frameworks.push({ framework: fw, package: e.name!, spec: "", extras: [], origin: e.origin, unpinnable: `installs ${e.name} from ${e.form === "local" ? "a local file" : e.form === "vcs" ? "a VCS checkout" : "a URL"}${e.version ? ` (version ${e.version})` : ""}, which cuda-scaffold cannot pin`, cpu: false, locked: false });
          break;
        }
        if (e.form === "local") {
          addLocal(reading, e.line, file, e.origin, e.line, e.name, e.editable);
          break;
        }
        if (e.form === "vcs" && e.editable) {
          const to = vcsAsRequirement(e.line, e.name);
          reading.rewrites.push({ origin: e.origin, to, why: "a VCS checkout is installed in the image as a regular package, not editable" });
          reading.dependencies.push({ line: to, name: e.name, kind: "vcs", origin: e.origin });
          break;
        }
        reading.dependencies.push({ line: e.line, name: e.name, kind: e.form, origin: e.origin });
        break;
      }
      case "req": {
        if (e.req.marker) {
          const value = evaluateMarker(e.req.marker);
          if (value === undefined) throw unparsable(e.origin.file, e.origin.line, `the environment marker \`${e.req.marker}\` cannot be read.`);
          if (value === false) {
            reading.notInstalled.push({ origin: e.origin, why: "its environment marker is false on Linux x86_64" });
            break;
          }
        }
        // `name @ file:///…`: a path on the machine the file was written on, like a bare local path.
        if (e.req.url && /^file:/i.test(e.req.url)) {
          addLocal(reading, e.req.url, file, e.origin, e.line, e.req.name, false);
          break;
        }
        if (CPU_ONLY.has(e.req.name)) {
          reading.dependencies.push({ line: e.line, name: e.req.name, kind: "requirement", origin: e.origin });
          reading.warnings.push({ origin: e.origin, message: `${quote(e.origin)} asks for a CPU-only build; it is installed as written, beside the GPU framework.` });
          break;
        }
        const c = classify(e.req, e.origin, m);
        if (c.kind === "framework") {
          reading.frameworks.push(c.pin);
          reading.cudaHints.push(...c.hints);
        } else if (c.kind === "companion") {
          reading.cudaHints.push(...c.hints);
          reading.companions.push({ framework: c.framework, name: e.req.name, spec: withoutLocal(e.req.spec), line: e.line, origin: e.origin });
        } else if (c.kind === "cuda-wheel") {
          reading.cudaHints.push(c.hint);
          reading.rewrites.push({ origin: e.origin, to: null, why: "a CUDA library wheel: the framework's build requires the ones it needs" });
        } else reading.dependencies.push({ line: e.line, name: e.req.name, kind: "requirement", origin: e.origin });
        break;
      }
    }
  }
}

/**
 * A requirement on a local path (./pkg, /abs/pkg.whl, file:///abs/pkg, name @ file:///abs/pkg): one
 * inside the project is installed in the dev container, which mounts the project; one outside it
 * (an absolute path, ~, ../) is a path on the author's machine, which no image has, and is left out
 * with a note. PDM's `file:///${PROJECT_ROOT}/pkg` is inside.
 */
function addLocal(reading: ProjectReading, target: string, file: string, origin: Origin, line: string, name: string | null, editable: boolean): void {
  const path = target
    .replace(/^file:(\/\/(localhost)?)?/i, "")
    .replace(/^\/?\$\{PROJECT_ROOT\}\/?/, "./")
    .split(/[#;]/)[0]!
    .trim();
  const inside = !posix.isAbsolute(path) && !path.startsWith("~") && !posix.normalize(posix.join(posix.dirname(file), path)).startsWith("../");
  if (inside) reading.dependencies.push({ line: editable ? `-e ${line}` : line, name, kind: "local", origin });
  else reading.warnings.push({ origin, message: `${quote(origin)} points outside the project (a path on the author's machine); it is not installed.` });
}

function readOne(walk: Walk, rel: string, kind: FileKind, depth: number, from: Origin | null): void {
  if (walk.seen.has(rel)) return;
  if (walk.seen.size >= MAX_FILES) throw unparsable(rel, null, `is one more file than the ${MAX_FILES} a project may name.`);
  walk.seen.add(rel);
  let read: { text: string; sha256: string };
  try {
    read = readSafe(walk.root, rel, kind);
  } catch (err) {
    const problems = (err as { problems?: { message: string }[] }).problems;
    if (from && problems?.[0]?.message.includes("does not exist")) throw unparsable(from.file, from.line, `includes ${rel}, which does not exist.`);
    throw err;
  }
  walk.reading.files.push({ path: rel, kind, sha256: read.sha256 });
  add(walk, parseFile(kind, read.text, rel), rel, depth);
}

/** Reads a project folder. Throws a UserError naming the file and line for anything it cannot read. */
export function readProject(dir: string, m: Matrix): ProjectReading {
  const root = resolve(dir);
  try {
    if (!statSync(root).isDirectory()) fail({ code: "invalid-value", message: `--project ${dir} is not a folder.`, hint: "Give the folder that holds the project's dependency files." });
  } catch (err) {
    if ((err as { problems?: unknown }).problems) throw err;
    fail({ code: "invalid-value", message: `--project ${dir}: no such folder.`, hint: "Give the folder that holds the project's dependency files." });
  }
  const { files, skipped } = discover(root);
  const reading: ProjectReading = { dir, files: [], skipped, frameworks: [], cudaHints: [], python: [], dependencies: [], notInstalled: [], condaOnly: [], warnings: [], locked: new Map(), companions: [], rewrites: [] };
  const walk: Walk = { root, reading, m, seen: new Set() };
  for (const f of files) readOne(walk, f.path, f.kind, 0, null);
  // Identical lines from several files are installed once.
  const lines = new Set<string>();
  reading.dependencies = reading.dependencies.filter((d) => !lines.has(d.line) && lines.add(d.line));
  checkConflicts(reading);
  return reading;
}

/** The folder relative to another, with forward slashes ("." for the same folder). */
export function relativeDir(from: string, to: string): string {
  const rel = relative(resolve(from), resolve(to)).split(sep).join("/");
  return rel === "" ? "." : rel;
}

