// /etc/os-release (os-release(5)): KEY=value lines, values optionally quoted with shell escapes.
import type { OsFacts } from "./types.js";
import { lines } from "./text-values.js";

function unquote(raw: string): string {
  const v = raw.trim();
  const q = v[0];
  if ((q === '"' || q === "'") && v.endsWith(q) && v.length >= 2) {
    const inner = v.slice(1, -1);
    return q === '"' ? inner.replace(/\\([\\$"`])/g, "$1") : inner;
  }
  return v;
}

export function parseOsRelease(text: string): Partial<OsFacts> {
  const vars = new Map<string, string>();
  for (const line of lines(text)) {
    const m = /^\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) vars.set(m[1]!, unquote(m[2]!));
  }
  const out: Partial<OsFacts> = {};
  const id = vars.get("ID");
  if (id) out.id = id;
  if (vars.has("VERSION_ID")) out.versionId = vars.get("VERSION_ID")!;
  if (vars.has("PRETTY_NAME")) out.prettyName = vars.get("PRETTY_NAME")!;
  const idLike = vars.get("ID_LIKE")?.split(/\s+/).filter(Boolean);
  if (idLike?.length) out.idLike = idLike;
  const codename = vars.get("VERSION_CODENAME");
  if (codename) out.versionCodename = codename;
  return out;
}
