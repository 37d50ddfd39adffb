// /etc/os-release (os-release(5)): KEY=value lines, values optionally quoted with shell escapes.
import type { OsFacts } from "./types.js";
import { capValue, lines, MAX_LIST_LENGTH } from "./text-values.js";

function unquote(raw: string): string {
  const v = raw.trim();
  const q = v[0];
  if ((q === '"' || q === "'") && v.endsWith(q) && v.length >= 2) {
    const inner = v.slice(1, -1);
    return q === '"' ? inner.replace(/\\([\\$"`])/g, "$1") : inner;
  }
  return v;
}

const FIELDS = [
  ["ID", "id"],
  ["VERSION_ID", "versionId"],
  ["PRETTY_NAME", "prettyName"],
  ["VERSION_CODENAME", "versionCodename"],
] as const;

export function parseOsRelease(text: string): Partial<OsFacts> {
  const vars = new Map<string, string>();
  for (const line of lines(text)) {
    const m = /^\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    const value = unquote(m[2]!);
    if (value !== "") vars.set(m[1]!, value);
  }
  const out: Partial<OsFacts> = {};
  for (const [key, field] of FIELDS) {
    const value = vars.get(key);
    if (value) out[field] = capValue(value);
  }
  const idLike = vars.get("ID_LIKE")?.split(/\s+/).filter(Boolean).slice(0, MAX_LIST_LENGTH).map(capValue);
  if (idLike?.length) out.idLike = idLike;
  return out;
}
