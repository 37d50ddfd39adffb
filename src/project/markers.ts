// PEP 508 environment markers, evaluated for the image cuda-scaffold builds: Linux on x86_64, CPython.
// The Python version is not known yet when a project is read, so a marker that depends on it is
// "unknown" (null): three-valued logic, never a guess.
import { compare } from "../matrix/versions.js";

type Value = boolean | null;

const KNOWN: Record<string, string> = {
  sys_platform: "linux",
  platform_system: "Linux",
  platform_machine: "x86_64",
  os_name: "posix",
  implementation_name: "cpython",
  platform_python_implementation: "CPython",
};
const PYTHON_VARS = new Set(["python_version", "python_full_version", "implementation_version"]);

type Token = { kind: "str" | "var" | "op" | "(" | ")" | "and" | "or"; text: string };

function tokenize(text: string): Token[] | null {
  const tokens: Token[] = [];
  const re = /\s*(?:(\(|\))|("[^"]*"|'[^']*')|(===|==|!=|<=|>=|~=|<|>|not\s+in\b|in\b)|(and|or)\b|([A-Za-z_][A-Za-z0-9_.]*))/y;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return null;
    pos = re.lastIndex;
    if (m[1]) tokens.push({ kind: m[1] as "(" | ")", text: m[1] });
    else if (m[2]) tokens.push({ kind: "str", text: m[2].slice(1, -1) });
    else if (m[3]) tokens.push({ kind: "op", text: m[3].replace(/\s+/, " ") });
    else if (m[4]) tokens.push({ kind: m[4] as "and" | "or", text: m[4] });
    else tokens.push({ kind: "var", text: m[5]! });
  }
  return tokens;
}

function compareOp(op: string, left: string, right: string, versions: boolean): boolean {
  if (op === "in") return right.includes(left);
  if (op === "not in") return !right.includes(left);
  const c = versions ? compare(left, right) : left < right ? -1 : left > right ? 1 : 0;
  switch (op) {
    case "==": case "===": return versions ? c === 0 : left === right;
    case "!=": return versions ? c !== 0 : left !== right;
    case "<": return c < 0;
    case "<=": return c <= 0;
    case ">": return c > 0;
    case ">=": return c >= 0;
    default: return c >= 0;
  }
}

/** true / false on Linux x86_64 CPython; null when it depends on the Python version or an extra; undefined when malformed. */
export function evaluateMarker(marker: string): Value | undefined {
  const tokens = tokenize(marker);
  if (!tokens || tokens.length === 0) return undefined;
  let i = 0;
  const atom = (t: Token | undefined): { value: string; unknown: boolean; version: boolean } | undefined => {
    if (!t) return undefined;
    if (t.kind === "str") return { value: t.text, unknown: false, version: false };
    if (t.kind !== "var") return undefined;
    if (t.text in KNOWN) return { value: KNOWN[t.text]!, unknown: false, version: false };
    return { value: "", unknown: true, version: PYTHON_VARS.has(t.text) };
  };
  const comparison = (): Value | undefined => {
    if (tokens[i]?.kind === "(") {
      i++;
      const v = or();
      if (tokens[i]?.kind !== ")") return undefined;
      i++;
      return v;
    }
    const left = atom(tokens[i++]);
    const op = tokens[i++];
    const right = atom(tokens[i++]);
    if (!left || !right || op?.kind !== "op") return undefined;
    if (left.unknown || right.unknown) return null;
    return compareOp(op.text, left.value, right.value, left.version || right.version);
  };
  const and = (): Value | undefined => {
    let v = comparison();
    while (v !== undefined && tokens[i]?.kind === "and") {
      i++;
      const r = comparison();
      if (r === undefined) return undefined;
      v = v === false || r === false ? false : v === null || r === null ? null : true;
    }
    return v;
  };
  const or = (): Value | undefined => {
    let v = and();
    while (v !== undefined && tokens[i]?.kind === "or") {
      i++;
      const r = and();
      if (r === undefined) return undefined;
      v = v === true || r === true ? true : v === null || r === null ? null : false;
    }
    return v;
  };
  const value = or();
  return i === tokens.length ? value : undefined;
}
