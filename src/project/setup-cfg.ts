// setup.cfg as setuptools reads it: an INI file whose [options] install_requires is a list with one
// requirement per (indented) line, or separated by `;`, and python_requires a specifier.
import { type Entry, unparsable } from "./entries.js";
import { parseRequirement } from "./pep508.js";
import { directReference } from "./requirements-txt.js";

interface IniValue {
  value: { text: string; line: number }[];
  line: number;
}

/** Sections -> keys -> value lines, with line numbers. Keys are lower-cased, as configparser does. */
export function parseIni(text: string, file: string): Map<string, Map<string, IniValue>> {
  const sections = new Map<string, Map<string, IniValue>>();
  let section: Map<string, IniValue> | null = null;
  let current: IniValue | null = null;
  text.replace(/^\uFEFF/, "").split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (/^\s*([#;]|$)/.test(raw)) return;
    if (/^\s/.test(raw) && current) {
      current.value.push({ text: raw.trim(), line });
      return;
    }
    const header = /^\[([^\]]+)\]\s*$/.exec(raw);
    if (header) {
      section = sections.get(header[1]!.trim()) ?? new Map();
      sections.set(header[1]!.trim(), section);
      current = null;
      return;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw);
    if (!kv || !section) throw unparsable(file, line, section ? `\`${raw.trim()}\` is not a \`key = value\` line.` : "has a value before any [section] header.");
    current = { value: kv[2]!.trim() ? [{ text: kv[2]!.trim(), line }] : [], line };
    section.set(kv[1]!.trim().toLowerCase().replace(/-/g, "_"), current);
  });
  return sections;
}

export function parseSetupCfg(text: string, file: string): Entry[] {
  const options = parseIni(text, file).get("options");
  const entries: Entry[] = [];
  const requires = options?.get("install_requires");
  for (const { text: item, line } of requires?.value.flatMap((v) => v.text.split(";").map((t) => ({ text: t.trim(), line: v.line }))) ?? []) {
    const textItem = item.replace(/\s+#.*$/, "");
    if (!textItem) continue;
    if (textItem.startsWith("file:") || textItem.startsWith("attr:")) {
      entries.push({ kind: "warning", origin: { file, line, text: textItem }, message: `${file} line ${line}: install_requires = ${textItem} is read from elsewhere by setuptools; the requirements files themselves are read when present.` });
      continue;
    }
    const origin = { file, line, text: textItem };
    const req = parseRequirement(textItem);
    if (req) entries.push({ kind: "req", req, line: textItem, origin });
    else {
      const direct = directReference(textItem, false, origin);
      if (!direct) throw unparsable(file, line, `\`${textItem}\` in install_requires is not a requirement pip can read.`);
      entries.push(direct);
    }
  }
  const python = options?.get("python_requires")?.value[0];
  if (python) entries.push({ kind: "python", spec: python.text.replace(/\s+/g, ""), origin: { file, line: python.line, text: `python_requires = ${python.text}` } });
  return entries;
}
