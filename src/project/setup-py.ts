// setup.py read as text, never run: install_requires and python_requires are taken where they are
// string literals, lists or tuples of them, or a name assigned one of those at module level. Anything
// computed (a comprehension, a function call, an f-string, list arithmetic) is reported with its line
// and skipped, never guessed.
import { type Entry, unparsable } from "./entries.js";
import { parseRequirement } from "./pep508.js";
import { directReference } from "./requirements-txt.js";
import type { Origin } from "./types.js";

type Token = { type: "str" | "computed-str" | "name" | "op" | "other"; value: string; line: number };

const STRING = /^([rRbBuUfF]{0,2})('''|"""|'|")/;

export function tokenizePython(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\n") { line++; i++; continue; }
    if (c === " " || c === "\t" || c === "\r" || c === "\\" || c === "\f") { i++; continue; }
    if (c === "#") { while (i < text.length && text[i] !== "\n") i++; continue; }
    const s = STRING.exec(text.slice(i, i + 5));
    if (s && (s[1] === "" || /^[rbuf]{1,2}$/i.test(s[1]!))) {
      const start = line;
      const quote = s[2]!;
      const raw = /r/i.test(s[1]!);
      let j = i + s[0].length;
      let value = "";
      for (;;) {
        if (j >= text.length) throw unparsable(file, start, "has a string that never ends.");
        const ch = text[j]!;
        if (ch === "\\" && !raw) {
          const next = text[j + 1] ?? "";
          value += next === "n" ? "\n" : next === "t" ? "\t" : next === "\n" ? "" : next;
          if (next === "\n") line++;
          j += 2;
          continue;
        }
        if (text.startsWith(quote, j)) { j += quote.length; break; }
        if (ch === "\n") {
          if (quote.length === 1) throw unparsable(file, start, "has a string that never ends on its line.");
          line++;
        }
        value += ch;
        j++;
      }
      tokens.push({ type: /f/i.test(s[1]!) ? "computed-str" : "str", value, line: start });
      i = j;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 200));
    if (name) { tokens.push({ type: "name", value: name[0], line }); i += name[0].length; continue; }
    const op = /^(==|!=|<=|>=|\*\*|[()[\]{},:=+*.%<>-])/.exec(text.slice(i, i + 2));
    if (op) { tokens.push({ type: "op", value: op[0], line }); i += op[0].length; continue; }
    tokens.push({ type: "other", value: c, line });
    i++;
  }
  return tokens;
}

type Value = { kind: "list"; items: { value: string | null; line: number }[] } | { kind: "str"; value: string; line: number } | { kind: "computed"; line: number; why: string };

const CLOSE: Record<string, string> = { "[": "]", "(": ")" };

/** The value starting at token k: a string, a list/tuple of strings, a module-level name, or "computed". */
function readValue(tokens: Token[], k: number, names: Map<string, number>, depth = 0): Value {
  const t = tokens[k];
  if (!t) return { kind: "computed", line: 0, why: "nothing follows" };
  if (t.type === "str" || t.type === "computed-str") {
    let value = "";
    let j = k;
    let computed = false;
    while (tokens[j]?.type === "str" || tokens[j]?.type === "computed-str") {
      computed ||= tokens[j]!.type === "computed-str";
      value += tokens[j++]!.value;
    }
    const end = tokens[j];
    if (computed || (end && !(end.type === "op" && [",", ")", "]", "}"].includes(end.value)) && end.line === t.line)) {
      return { kind: "computed", line: t.line, why: computed ? "an f-string" : `a string combined with \`${end!.value}\`` };
    }
    return { kind: "str", value, line: t.line };
  }
  if (t.type === "op" && CLOSE[t.value]) {
    const close = CLOSE[t.value]!;
    const items: { value: string | null; line: number }[] = [];
    let j = k + 1;
    while (tokens[j] && !(tokens[j]!.type === "op" && tokens[j]!.value === close)) {
      const el = readValue(tokens, j, names, depth);
      if (el.kind === "computed" || el.kind === "list") {
        return { kind: "computed", line: tokens[j]!.line, why: el.kind === "list" ? "a nested list" : el.why };
      }
      items.push({ value: el.value, line: el.line });
      while (tokens[j] && !(tokens[j]!.type === "op" && (tokens[j]!.value === "," || tokens[j]!.value === close))) j++;
      if (tokens[j]?.value === ",") j++;
    }
    if (!tokens[j]) return { kind: "computed", line: t.line, why: "an unclosed list" };
    const after = tokens[j + 1];
    if (after && after.type === "op" && ["+", "*"].includes(after.value)) return { kind: "computed", line: t.line, why: `list arithmetic (\`${after.value}\`)` };
    return { kind: "list", items };
  }
  if (t.type === "name") {
    const next = tokens[k + 1];
    if (next && next.type === "op" && [".", "(", "[", "+"].includes(next.value)) return { kind: "computed", line: t.line, why: `an expression (\`${t.value}${next.value}…\`)` };
    const at = names.get(t.value);
    if (at === undefined || depth > 2) return { kind: "computed", line: t.line, why: `the name \`${t.value}\`, which is not assigned a literal at module level` };
    return readValue(tokens, at, names, depth + 1);
  }
  return { kind: "computed", line: t.line, why: `\`${t.value}\`` };
}

/** Module-level `NAME = …` assignments (first one wins), by the token index of their value. */
function assignments(tokens: Token[]): Map<string, number> {
  const names = new Map<string, number>();
  let depth = 0;
  tokens.forEach((t, k) => {
    if (t.type === "op" && "([{".includes(t.value)) depth++;
    else if (t.type === "op" && ")]}".includes(t.value)) depth--;
    else if (depth === 0 && t.type === "name" && tokens[k + 1]?.type === "op" && tokens[k + 1]!.value === "=" && !names.has(t.value)) names.set(t.value, k + 2);
  });
  return names;
}

/** Where a keyword is given a value: `key=`, `key =` at module level, or `"key":` in a dict. */
function keywordValues(tokens: Token[], key: string): number[] {
  const at: number[] = [];
  tokens.forEach((t, k) => {
    const next = tokens[k + 1];
    if (!next || next.type !== "op") return;
    if (t.type === "name" && t.value === key && next.value === "=") at.push(k + 2);
    if (t.type === "str" && t.value === key && next.value === ":") at.push(k + 2);
  });
  return at;
}

export function parseSetupPy(text: string, file: string): Entry[] {
  const tokens = tokenizePython(text, file);
  const names = assignments(tokens);
  const entries: Entry[] = [];
  const origin = (line: number, text: string): Origin => ({ file, line, text });
  const computed = (key: string, v: { line: number; why: string }) =>
    entries.push({ kind: "warning", origin: origin(v.line, key), message: `${file} line ${v.line}: ${key} is computed (${v.why}); setup.py is never run, so these requirements were not read.` });

  for (const k of keywordValues(tokens, "install_requires")) {
    const v = readValue(tokens, k, names);
    if (v.kind === "computed") { computed("install_requires", v); continue; }
    const items = v.kind === "str" ? v.value.split("\n").map((value) => ({ value, line: v.line })) : v.items;
    for (const item of items) {
      const textItem = item.value?.trim();
      if (!textItem || textItem.startsWith("#")) continue;
      const o = origin(item.line, textItem);
      const req = parseRequirement(textItem);
      if (req) entries.push({ kind: "req", req, line: textItem, origin: o });
      else {
        const direct = directReference(textItem, false, o);
        if (!direct) throw unparsable(file, item.line, `\`${textItem}\` in install_requires is not a requirement pip can read.`);
        entries.push(direct);
      }
    }
  }
  const python = keywordValues(tokens, "python_requires")[0];
  if (python !== undefined) {
    const v = readValue(tokens, python, names);
    if (v.kind === "str") entries.push({ kind: "python", spec: v.value.replace(/\s+/g, ""), origin: origin(v.line, `python_requires="${v.value}"`) });
    else if (v.kind === "computed") computed("python_requires", v);
  }
  return entries;
}
