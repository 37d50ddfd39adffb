// environment.yml / environment.yaml from conda: match specs (`pytorch=1.11.0`, `pytorch::pytorch`,
// `numpy 1.21.*`, `pytorch=1.11.0=py3.8_cuda11.3_cudnn8.2.0_0`, `tensorflow-gpu==1.15`), channels,
// and the `pip:` section, which is read as requirements-file lines.
import { parseDocument, LineCounter, isMap, isSeq, isScalar, type Node } from "yaml";
import { type Entry, unparsable } from "./entries.js";
import { parseRequirement, normalizeName } from "./pep508.js";
import { parseRequirementsTxt } from "./requirements-txt.js";
import { frameworkOf } from "./classify.js";
import type { Origin } from "./types.js";
import { matrix } from "../matrix/data.js";

interface CondaTables {
  renamed: Map<string, string>;
  provided: Map<string, string>;
  cudaHint: Set<string>;
  condaOnly: Set<string>;
  condaOnlyPrefixes: string[];
  condaOnlyPattern: RegExp;
}

let tables: CondaTables | undefined;

/** The conda name tables (matrix/conda-packages.yaml), read from the data the first time a conda file is. */
function condaTables(): CondaTables {
  if (tables) return tables;
  const data = matrix.condaPackages;
  tables = {
    renamed: new Map(data.renamed.map((r) => [r.conda, r.pypi])),
    provided: new Map(data.provided.map((r) => [r.conda, r.why])),
    cudaHint: new Set(data.cudaHint.map((r) => r.conda)),
    condaOnly: new Set(data.condaOnly.map((r) => r.conda)),
    condaOnlyPrefixes: data.condaOnlyPrefixes.map((r) => r.prefix),
    condaOnlyPattern: new RegExp(data.condaOnlyPattern.pattern),
  };
  return tables;
}

export function isCondaOnly(name: string): boolean {
  const t = condaTables();
  return t.condaOnly.has(name) || t.condaOnlyPrefixes.some((p) => name.startsWith(p)) || t.condaOnlyPattern.test(name);
}

export interface MatchSpec {
  channel: string | null;
  name: string;
  /** conda version spec as written ("1.11.0", ">=1.8", "1.21.*"), "" for any */
  version: string;
  build: string | null;
}

/** A conda match spec, or null when it is not one. */
export function parseMatchSpec(text: string): MatchSpec | null {
  let s = text.trim();
  let channel: string | null = null;
  const ch = /^([A-Za-z0-9_./-]+)::/.exec(s);
  if (ch) {
    channel = ch[1]!;
    s = s.slice(ch[0].length);
  }
  const bracket = /^([A-Za-z0-9_.-]+)\s*\[\s*version\s*=\s*['"]?([^'"\]]+)['"]?\s*\]$/.exec(s);
  if (bracket) return { channel, name: bracket[1]!.toLowerCase(), version: bracket[2]!.trim(), build: null };
  const m = /^([A-Za-z0-9_.-]+)\s*(?:(==|=|>=|<=|!=|~=|>|<)\s*([^=\s][^=]*?)(?:=([^=\s]+))?|\s+([^\s]+)(?:\s+([^\s]+))?)?$/.exec(s);
  if (!m) return null;
  const name = m[1]!.toLowerCase();
  if (m[5] !== undefined) return { channel, name, version: m[5].trim(), build: m[6] ?? null };
  if (!m[2]) return { channel, name, version: "", build: null };
  const op = m[2] === "=" ? "" : m[2] === "==" ? "==" : m[2];
  return { channel, name, version: `${op}${m[3]!.trim().replace(/\s+/g, "")}`, build: m[4] ?? null };
}

/** A conda version spec as a PEP 440 specifier ("1.11.0" -> "==1.11.0", "1.11" -> "==1.11.*"), null when it cannot be said. */
export function condaToPip(version: string): string | null {
  if (version === "" || version === "*") return "";
  if (version.includes("|")) return null;
  return version.split(",").map((c) => {
    const m = /^(==|>=|<=|!=|~=|>|<)?(.+)$/.exec(c.trim())!;
    const v = m[2]!.replace(/\*$/, "").replace(/\.$/, "");
    if (m[1] && m[1] !== "==") return `${m[1]}${v}`;
    if (m[1] === "==" || (!m[2]!.endsWith("*") && v.split(".").length >= 3)) return `==${v}`;
    return `==${v}.*`;
  }).join(",");
}

/** CUDA named by a conda build string: py3.8_cuda11.3_cudnn8.2.0_0, py39_cu113. */
function cudaFromBuild(build: string | null): string | null {
  if (!build) return null;
  const dotted = /cuda([0-9]{1,2}\.[0-9])/.exec(build);
  if (dotted) return dotted[1]!;
  const tag = /(?:^|_)cu([0-9]{2,3})(?:_|$)/.exec(build);
  return tag ? `${Number(tag[1]!.slice(0, -1))}.${tag[1]!.slice(-1)}` : null;
}

function lineOf(node: Node | null | undefined, counter: LineCounter): number | null {
  const start = node?.range?.[0];
  return start === undefined ? null : counter.linePos(start).line;
}

function condaEntry(spec: MatchSpec, origin: Origin): Entry[] {
  const { name } = spec;
  const { renamed, provided, cudaHint } = condaTables();
  const entries: Entry[] = [];
  const buildCuda = cudaFromBuild(spec.build);
  const fw = frameworkOf(renamed.get(name) ?? name);
  if (buildCuda) entries.push({ kind: "hint", hint: { cuda: buildCuda, via: `the ${name} build ${spec.build}`, origin, ...(fw ? { framework: fw } : {}) } });
  if (cudaHint.has(name)) {
    const v = /^(?:==|=)?([0-9]+(?:\.[0-9]+)?)/.exec(spec.version)?.[1];
    if (v) entries.push({ kind: "hint", hint: { cuda: v, via: `${name}=${spec.version.replace(/^=+/, "")}`, origin, ...(name === "pytorch-cuda" ? { framework: "torch" as const } : {}) } });
    entries.push({ kind: "not-installed", origin, why: v ? `CUDA ${v} is a preference for the framework's build; the image or the wheels bring CUDA` : "the image or the wheels bring CUDA" });
    return entries;
  }
  if (name === "python") {
    const pip = condaToPip(spec.version);
    if (pip) entries.push({ kind: "python", spec: pip, origin });
    return entries;
  }
  if (provided.has(name) || name.startsWith("magma-cuda")) {
    entries.push({ kind: "not-installed", origin, why: provided.get(name) ?? provided.get("magma-cuda")! });
    return entries;
  }
  if (isCondaOnly(name) && !renamed.has(name)) {
    entries.push({ kind: "conda-only", origin });
    return entries;
  }
  const pipName = renamed.get(name) ?? name;
  const pipSpec = condaToPip(spec.version);
  if (pipSpec === null) {
    entries.push({ kind: "warning", origin, message: `${origin.file} line ${origin.line}: the version of \`${origin.text}\` (alternatives with |) has no pip form; ${pipName} is installed unpinned.` });
  }
  const req = parseRequirement(`${pipName}${pipSpec ?? ""}`);
  if (!req) throw unparsable(origin.file, origin.line, `\`${origin.text}\` is not a conda package spec cuda-scaffold can read.`);
  entries.push({ kind: "req", req: { ...req, name: normalizeName(pipName) }, line: `${pipName}${pipSpec ?? ""}`, origin });
  return entries;
}

export function parseCondaEnv(text: string, file: string): Entry[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw unparsable(file, e.linePos?.[0]?.line ?? null, `is not valid YAML: ${e.message.split("\n")[0]}`);
  }
  if (!isMap(doc.contents)) throw unparsable(file, 1, "is not a conda environment file (no `dependencies:` mapping).");
  const deps = doc.contents.get("dependencies", true);
  const entries: Entry[] = [];
  if (deps === undefined || deps === null) return entries;
  if (!isSeq(deps)) throw unparsable(file, lineOf(deps as Node, counter), "`dependencies:` is not a list.");
  for (const item of deps.items) {
    const line = lineOf(item as Node, counter);
    if (isMap(item)) {
      const pip = item.get("pip", true);
      if (!isSeq(pip)) throw unparsable(file, line, "a mapping in `dependencies:` that is not a `pip:` list.");
      for (const p of pip.items) {
        const pLine = lineOf(p as Node, counter);
        if (!isScalar(p) || typeof p.value !== "string") throw unparsable(file, pLine, "an entry of the `pip:` list is not a string.");
        for (const e of parseRequirementsTxt(p.value, file)) {
          const origin: Origin = { file, line: pLine, text: p.value.trim() };
          entries.push(e.kind === "hint" ? e : { ...e, origin } as Entry);
        }
      }
      continue;
    }
    if (!isScalar(item) || (typeof item.value !== "string" && typeof item.value !== "number")) throw unparsable(file, line, "an entry of `dependencies:` is not a package spec.");
    const text = String(item.value);
    const spec = parseMatchSpec(text);
    if (!spec) throw unparsable(file, line, `\`${text}\` is not a conda package spec.`);
    entries.push(...condaEntry(spec, { file, line, text }));
  }
  return entries;
}
