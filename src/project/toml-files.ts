// The TOML dependency files: pyproject.toml (PEP 621 and Poetry, with uv's and Poetry's index
// sources), Pipfile, uv.lock and poetry.lock. TOML values carry no line numbers, so an entry's line is
// the first line of the file that holds its text.
import { parse, TomlError } from "smol-toml";
import { type Entry, unparsable } from "./entries.js";
import { cudaFromIndexUrl, cudaFromTag, frameworkOf } from "./classify.js";
import { normalizeName, parseRequirement, parseSpecifier } from "./pep508.js";
import { directReference } from "./requirements-txt.js";
import type { Origin } from "./types.js";

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

function parseToml(text: string, file: string): Table {
  try {
    return parse(text) as Table;
  } catch (err) {
    if (err instanceof TomlError) throw unparsable(file, err.line, `is not valid TOML: ${err.message.split("\n")[0]}`);
    throw err;
  }
}

/** The line of the first occurrence of `needle` (1-based), or null. */
function lineOf(text: string, needle: string, from = 0): number | null {
  const at = text.indexOf(needle, from);
  return at < 0 ? null : text.slice(0, at).split("\n").length;
}

function requirementEntry(textItem: string, origin: Origin, file: string): Entry {
  const req = parseRequirement(textItem);
  if (req) return { kind: "req", req, line: textItem, origin };
  const direct = directReference(textItem, false, origin);
  if (!direct) throw unparsable(file, origin.line, `\`${textItem}\` is not a PEP 508 requirement.`);
  return direct;
}

/** A Poetry version constraint ("^1.2", "~1.2.3", "1.2.3", ">=1, <2", "*") as a PEP 440 specifier, or null. */
export function poetrySpec(constraint: string): string | null {
  const c = constraint.trim();
  if (c === "" || c === "*") return "";
  if (c.includes("||")) return null;
  const clauses: string[] = [];
  for (const part of c.split(",").map((p) => p.trim()).filter(Boolean)) {
    const caret = /^\^\s*([0-9]+(?:\.[0-9]+)*)$/.exec(part);
    const tilde = /^~(?!=)\s*([0-9]+(?:\.[0-9]+)*)$/.exec(part);
    if (caret || tilde) {
      const v = (caret ?? tilde)![1]!;
      const p = v.split(".").map(Number);
      let upper: number[];
      if (caret) {
        const first = p.findIndex((x) => x !== 0);
        const idx = first < 0 ? p.length - 1 : Math.min(first, p.length - 1);
        upper = [...p.slice(0, idx), p[idx]! + 1];
      } else upper = p.length === 1 ? [p[0]! + 1] : [p[0]!, p[1]! + 1];
      clauses.push(`>=${v}`, `<${upper.join(".")}`);
    } else if (/^[0-9]/.test(part)) clauses.push(`==${part}`);
    else {
      const spec = parseSpecifier(part);
      if (spec === null) return null;
      clauses.push(spec);
    }
  }
  return clauses.join(",");
}

/** A Poetry python constraint as a marker: ">=3.8,<3.9" -> python_version >= "3.8" and python_version < "3.9". */
function pythonMarker(constraint: string): string | null {
  const spec = poetrySpec(constraint);
  if (!spec) return null;
  return spec.split(",").map((c) => {
    const m = /^(==|!=|<=|>=|<|>|~=)(.+)$/.exec(c)!;
    return `python_version ${m[1]} "${m[2]}"`;
  }).join(" and ");
}

/** Index URLs by name: Poetry's [[tool.poetry.source]], uv's [[tool.uv.index]], Pipfile's [[source]]. */
function indexes(list: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of Array.isArray(list) ? list : []) if (isTable(s) && str(s.name) && str(s.url)) out.set(s.name as string, s.url as string);
  return out;
}

/** One Poetry or Pipfile dependency table entry as install lines (several for a multiple-constraints list). */
function tableDependency(name: string, value: unknown, text: string, file: string, style: "poetry" | "pipfile", sources: Map<string, string>): Entry[] {
  const line = lineOf(text, `${name} =`) ?? lineOf(text, `"${name}"`) ?? lineOf(text, name);
  const origin = (t: string): Origin => ({ file, line, text: t });
  if (Array.isArray(value)) return value.flatMap((v) => tableDependency(name, v, text, file, style, sources));
  const spec = (v: string) => (style === "poetry" ? poetrySpec(v) : v === "*" ? "" : /^[0-9]/.test(v) ? `==${v}` : parseSpecifier(v));
  if (typeof value === "string") {
    const s = spec(value);
    if (s === null) throw unparsable(file, line, `\`${name} = "${value}"\` is not a version constraint cuda-scaffold can read.`);
    return [requirementEntry(`${name}${s}`, origin(`${name} = "${value}"`), file)];
  }
  if (!isTable(value)) throw unparsable(file, line, `\`${name}\` has a value that is neither a version nor a table.`);
  const shown = `${name} = ${JSON.stringify(value)}`;
  if (value.optional === true) return [{ kind: "not-installed", origin: origin(shown), why: "an optional dependency (an extra)" }];
  const extras = Array.isArray(value.extras) ? `[${value.extras.filter((e) => typeof e === "string").join(",")}]` : "";
  const markers = [str(value.markers), style === "poetry" && str(value.python) ? pythonMarker(value.python as string) : null].filter(Boolean).join(" and ");
  const withMarker = (l: string) => (markers ? `${l}; ${markers}` : l);
  const entries: Entry[] = [];
  const index = str(value.source) ?? str(value.index);
  const cuda = index && sources.get(index) ? cudaFromIndexUrl(sources.get(index)!) : null;
  const fw = frameworkOf(name);
  if (cuda) entries.push({ kind: "hint", hint: { cuda, via: `the ${index} index (${sources.get(index!)})`, origin: origin(shown), ...(fw ? { framework: fw } : {}) } });
  if (str(value.git)) {
    const ref = str(value.rev) ?? str(value.tag) ?? str(value.branch) ?? str(value.ref);
    const sub = str(value.subdirectory);
    entries.push({ kind: "direct", form: "vcs", line: withMarker(`${name}${extras} @ git+${value.git as string}${ref ? `@${ref}` : ""}${sub ? `#subdirectory=${sub}` : ""}`), name: normalizeName(name), version: null, editable: false, origin: origin(shown) });
  } else if (str(value.url) ?? str(value.file)) {
    entries.push({ kind: "direct", form: "url", line: withMarker(`${name}${extras} @ ${(str(value.url) ?? str(value.file))!}`), name: normalizeName(name), version: null, editable: false, origin: origin(shown) });
  } else if (str(value.path)) {
    entries.push({ kind: "direct", form: "local", line: value.path as string, name: normalizeName(name), version: null, editable: value.develop === true || value.editable === true, origin: origin(shown) });
  } else {
    const s = spec(str(value.version) ?? "*");
    if (s === null) throw unparsable(file, line, `\`${shown}\` has a version constraint cuda-scaffold cannot read.`);
    entries.push(requirementEntry(withMarker(`${name}${extras}${s}`), origin(shown), file));
  }
  return entries;
}

function pythonEntry(spec: string | null, text: string, needle: string, file: string, style: "pep440" | "poetry" | "version"): Entry[] {
  if (!spec) return [];
  const s = style === "poetry" ? poetrySpec(spec) : style === "version" ? `==${spec.split(".").slice(0, 2).join(".")}.*` : spec.replace(/\s+/g, "");
  return s ? [{ kind: "python", spec: s, origin: { file, line: lineOf(text, needle), text: `${needle} = "${spec}"` } }] : [];
}

export function parsePyproject(text: string, file: string): Entry[] {
  const doc = parseToml(text, file);
  const entries: Entry[] = [];
  const project = isTable(doc.project) ? doc.project : {};
  const deps = project.dependencies;
  if (Array.isArray(deps)) {
    let from = 0;
    for (const d of deps) {
      if (typeof d !== "string") throw unparsable(file, lineOf(text, "dependencies"), "project.dependencies holds something that is not a string.");
      const line = lineOf(text, d, from);
      if (line !== null) from = text.indexOf(d, from);
      entries.push(requirementEntry(d, { file, line, text: d }, file));
    }
  }
  entries.push(...pythonEntry(str(project["requires-python"]), text, "requires-python", file, "pep440"));
  const tool = isTable(doc.tool) ? doc.tool : {};
  const poetry = isTable(tool.poetry) ? tool.poetry : null;
  const poetrySources = indexes(poetry?.source);
  if (poetry && isTable(poetry.dependencies)) {
    for (const [name, value] of Object.entries(poetry.dependencies)) {
      if (name.toLowerCase() === "python") entries.push(...pythonEntry(str(value), text, "python", file, "poetry"));
      else entries.push(...tableDependency(name, value, text, file, "poetry", poetrySources));
    }
  }
  // uv: [tool.uv.sources] points a package at a named [[tool.uv.index]]; a per-CUDA index is a hint.
  const uv = isTable(tool.uv) ? tool.uv : {};
  const uvIndexes = indexes(uv.index);
  for (const [name, source] of Object.entries(isTable(uv.sources) ? uv.sources : {})) {
    if (!frameworkOf(name)) continue;
    for (const s of Array.isArray(source) ? source : [source]) {
      const url = isTable(s) && str(s.index) ? uvIndexes.get(s.index as string) : undefined;
      const cuda = url ? cudaFromIndexUrl(url) : null;
      if (cuda) entries.push({ kind: "hint", hint: { cuda, via: `the ${s.index as string} index (${url})`, origin: { file, line: lineOf(text, `"${s.index as string}"`), text: `${name} = { index = "${s.index as string}" }` }, framework: frameworkOf(name)! } });
    }
  }
  return entries;
}

export function parsePipfile(text: string, file: string): Entry[] {
  const doc = parseToml(text, file);
  const entries: Entry[] = [];
  const sources = indexes(doc.source);
  for (const [name, value] of Object.entries(isTable(doc.packages) ? doc.packages : {})) entries.push(...tableDependency(name, value, text, file, "pipfile", sources));
  const requires = isTable(doc.requires) ? doc.requires : {};
  const version = str(requires.python_version) ?? str(requires.python_full_version);
  entries.push(...pythonEntry(version, text, str(requires.python_version) ? "python_version" : "python_full_version", file, "version"));
  return entries;
}

/** uv.lock and poetry.lock: locked versions (framework ones become pins) and the Python range. */
export function parseLockFile(text: string, file: string, style: "uv" | "poetry"): Entry[] {
  const doc = parseToml(text, file);
  const entries: Entry[] = [];
  let from = 0;
  for (const p of Array.isArray(doc.package) ? doc.package : []) {
    if (!isTable(p) || !str(p.name) || !str(p.version)) continue;
    const name = normalizeName(p.name as string);
    const version = p.version as string;
    const at = text.indexOf(`name = "${p.name as string}"`, from);
    if (at >= 0) from = at + 1;
    const origin: Origin = { file, line: at >= 0 ? lineOf(text, `name = "${p.name as string}"`, at) : null, text: `${p.name as string} ${version}` };
    entries.push({ kind: "locked", name, version, origin });
    const registry = isTable(p.source) ? str(p.source.registry) : null;
    const cuda = registry ? cudaFromIndexUrl(registry) : null;
    const fw = frameworkOf(name);
    if (cuda && fw) entries.push({ kind: "hint", hint: { cuda, via: `the locked ${name} ${version} from ${registry}`, origin, framework: fw } });
    const local = /\+(cu[0-9]{2,3})$/.exec(version)?.[1];
    if (local && !cuda && cudaFromTag(local) && fw) entries.push({ kind: "hint", hint: { cuda: cudaFromTag(local)!, via: `+${local}`, origin, framework: fw } });
  }
  const python = style === "uv" ? str(doc["requires-python"]) : isTable(doc.metadata) ? str(doc.metadata["python-versions"]) : null;
  entries.push(...pythonEntry(python, text, style === "uv" ? "requires-python" : "python-versions", file, style === "uv" ? "pep440" : "poetry"));
  return entries;
}
