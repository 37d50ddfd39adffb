// One PEP 508 requirement ("torch[extra]>=1.9,<2; python_version < '3.10'", "name @ git+https://…")
// parsed into its parts, read as text only. Names are normalized the way PyPI compares them.

export interface Requirement {
  /** normalized: lower case, runs of -_. become - */
  name: string;
  /** as written */
  rawName: string;
  extras: string[];
  /** PEP 440 specifier without spaces ("==1.9.0+cu111", ">=1.7,<1.9"), "" for none */
  spec: string;
  /** a direct reference (name @ url), or null */
  url: string | null;
  /** the marker expression after `;`, or null */
  marker: string | null;
}

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*/;
const CLAUSE = /^(~=|===|==|!=|<=|>=|<|>)\s*([A-Za-z0-9_.*+!-]+)$/;

/** Splits "a; b" at the first `;` that starts a marker (a URL may hold `;` only before a space). */
function splitMarker(text: string): [string, string | null] {
  const at = text.search(/\s*;\s*(?=[A-Za-z_(])/);
  if (at < 0) return [text.trim(), null];
  // In a direct reference the marker must follow whitespace (PEP 508), so a `;` inside a URL stays.
  if (/@/.test(text.slice(0, at)) && !/\s;/.test(text.slice(at, at + 2))) {
    const spaced = text.search(/\s+;\s*/);
    if (spaced < 0) return [text.trim(), null];
    return [text.slice(0, spaced).trim(), text.slice(spaced).replace(/^\s*;\s*/, "").trim()];
  }
  return [text.slice(0, at).trim(), text.slice(at).replace(/^\s*;\s*/, "").trim() || null];
}

/** A VCS URL as pip takes it (git+https://…, hg+ssh://…). */
export const VCS_URL = /^(git|hg|svn|bzr)\+[a-z]+:/i;

/**
 * Does a requirement line (as the project record keeps it) build from source when installed: a VCS
 * checkout or an archive that is not a wheel, given as `name @ url` or as a bare URL, or a package
 * named in `compilesAgainstFramework` (matrix/companions.yaml buildWithFramework)?
 */
export function buildsFromSource(line: string, compilesAgainstFramework: ReadonlySet<string> = new Set()): boolean {
  const req = parseRequirement(line);
  if (req && !req.url) return compilesAgainstFramework.has(req.name);
  const url = req?.url ?? /^[A-Za-z][A-Za-z0-9+.-]*:\S+/.exec(splitMarker(line)[0])?.[0];
  if (!url) return false;
  return VCS_URL.test(url) || (/^https?:/i.test(url) && !/\.whl([#?].*)?$/i.test(url));
}

/** Parses a specifier list ("==1.9.0", ">= 1.7 , < 1.9", "(>=1.0)") into a clean one, or null when malformed. */
export function parseSpecifier(text: string): string | null {
  let s = text.trim();
  if (s.startsWith("(") && s.endsWith(")")) s = s.slice(1, -1).trim();
  if (s === "") return "";
  const clauses: string[] = [];
  for (const part of s.split(",")) {
    const m = CLAUSE.exec(part.trim());
    if (!m) return null;
    clauses.push(`${m[1]}${m[2]}`);
  }
  return clauses.join(",");
}

/** A requirement, or null when the text is not one. */
export function parseRequirement(text: string): Requirement | null {
  const [head, marker] = splitMarker(text);
  const name = NAME.exec(head);
  if (!name) return null;
  let rest = head.slice(name[0].length);
  let extras: string[] = [];
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close < 0) return null;
    extras = rest.slice(1, close).split(",").map((e) => e.trim()).filter(Boolean);
    if (extras.some((e) => !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(e))) return null;
    rest = rest.slice(close + 1).trim();
  }
  if (rest.startsWith("@")) {
    const url = rest.slice(1).trim();
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(url)) return null;
    return { name: normalizeName(name[1]!), rawName: name[1]!, extras, spec: "", url, marker };
  }
  const spec = parseSpecifier(rest);
  if (spec === null) return null;
  return { name: normalizeName(name[1]!), rawName: name[1]!, extras, spec, url: null, marker };
}

/** The local version label of a pin ("==1.8.1+cu111" -> "cu111"), or null. */
export function localLabel(spec: string): string | null {
  const m = /^===?[^+,]+\+([A-Za-z0-9.]+)$/.exec(spec);
  return m ? m[1]! : null;
}

/** The specifier without local labels ("==1.8.1+cu111" -> "==1.8.1"; "===1.0" -> "==1.0"). */
export function withoutLocal(spec: string): string {
  return spec
    .split(",")
    .filter(Boolean)
    .map((c) => c.replace(/^===/, "==").replace(/\+[A-Za-z0-9.]+$/, ""))
    .join(",");
}

/** The version of an exact pin ("==1.9.0" -> "1.9.0"; "==1.9.*" and ranges -> null). */
export function exactVersion(spec: string): string | null {
  const m = /^===?([0-9][0-9A-Za-z.!+-]*)$/.exec(spec);
  return m && !m[1]!.endsWith("*") ? m[1]! : null;
}
