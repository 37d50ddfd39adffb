// requirements*.txt as pip reads it: continuation lines, comments, -r/-c includes, -e editables,
// index options, per-requirement --hash options, and VCS, URL and path requirements kept verbatim.
import { type Entry, unparsable } from "./entries.js";
import { normalizeName, parseRequirement, VCS_URL } from "./pep508.js";
import type { Origin } from "./types.js";

/** Options pip accepts on a line of their own; the value is the next word (or after `=`). */
const VALUE_OPTIONS: Record<string, string> = {
  "-i": "--index-url", "--index-url": "--index-url", "--extra-index-url": "--extra-index-url",
  "-f": "--find-links", "--find-links": "--find-links", "--trusted-host": "--trusted-host",
  "--no-binary": "--no-binary", "--only-binary": "--only-binary", "--use-feature": "--use-feature",
  "-r": "-r", "--requirement": "-r", "-c": "-c", "--constraint": "-c", "-e": "-e", "--editable": "-e",
};
const FLAG_OPTIONS = new Set(["--pre", "--no-index", "--prefer-binary", "--require-hashes"]);
/** Options pip accepts after a requirement on the same line. */
const PER_REQUIREMENT = /^(--hash|--global-option|--install-option|--config-settings|-C)(=|$)/;
/** Index options seen after a requirement (pip rejects them there; people write them anyway). */
const TRAILING_INDEX = /^(--index-url|--extra-index-url|-i|-f|--find-links)(=|$)/;

/** Logical lines: comments removed, `\` continuations joined, with the line each starts on. */
export function logicalLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let pending: { line: number; text: string } | null = null;
  text.replace(/^\uFEFF/, "").split(/\r?\n/).forEach((raw, i) => {
    const noComment = raw.replace(/(^|\s)#.*$/, "");
    const cont = /\\$/.test(noComment);
    const piece = cont ? noComment.slice(0, -1) : noComment;
    pending = pending ? { line: pending.line, text: `${pending.text} ${piece.trim()}` } : { line: i + 1, text: piece };
    if (!cont) {
      if (pending.text.trim()) out.push({ line: pending.line, text: pending.text.trim() });
      pending = null;
    }
  });
  const last = pending as { line: number; text: string } | null;
  if (last && last.text.trim()) out.push({ line: last.line, text: last.text.trim() });
  return out;
}

/** A wheel or sdist file name's project name and version (paddlepaddle_gpu-0.0.0.post112-cp37-…whl). */
export function archiveName(path: string): { name: string; version: string } | null {
  const file = decodeURIComponent(path.split(/[?#]/)[0]!.split("/").pop() ?? "");
  const wheel = /^([A-Za-z0-9_.]+)-([0-9][^-]*)(?:-[0-9][^-]*)?-[^-]+-[^-]+-[^-]+\.whl$/.exec(file);
  if (wheel) return { name: normalizeName(wheel[1]!), version: wheel[2]! };
  const sdist = /^([A-Za-z0-9_.-]+?)-([0-9][A-Za-z0-9.+!]*)\.(?:tar\.gz|tar\.bz2|zip)$/.exec(file);
  return sdist ? { name: normalizeName(sdist[1]!), version: sdist[2]! } : null;
}

/** A requirement given as a VCS URL, an archive URL or a local path, or null when it is none of these. */
export function directReference(text: string, editable: boolean, origin: Origin): Entry | null {
  const egg = /[#&]egg=([A-Za-z0-9_.-]+)/.exec(text)?.[1];
  if (VCS_URL.test(text)) {
    return { kind: "direct", form: "vcs", line: text, name: egg ? normalizeName(egg) : null, version: null, editable, origin };
  }
  const archive = archiveName(text);
  if (/^https?:\/\//i.test(text)) {
    return { kind: "direct", form: "url", line: text, name: archive?.name ?? (egg ? normalizeName(egg) : null), version: archive?.version ?? null, editable, origin };
  }
  // `name @ https://…/pkg-1.0.tar.gz` is a PEP 508 direct reference (read as a requirement), not a path.
  if (/^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*@\s*[A-Za-z][A-Za-z0-9+.-]*:/.test(text)) return null;
  if (/^(\.{1,2}(\/|$)|\/|~|file:)/.test(text) || /\.(whl|tar\.gz|zip)$/.test(text)) {
    return { kind: "direct", form: "local", line: text, name: archive?.name ?? (egg ? normalizeName(egg) : null), version: archive?.version ?? null, editable, origin };
  }
  return null;
}

function optionValue(words: string[], file: string, line: number): { option: string; value: string | null; rest: string[] } {
  const first = words[0]!;
  const eq = first.indexOf("=");
  const key = first.startsWith("--") && eq > 0 ? first.slice(0, eq) : /^-[a-z][^-=]/.test(first) && first.length > 2 && VALUE_OPTIONS[first.slice(0, 2)] ? first.slice(0, 2) : first;
  if (FLAG_OPTIONS.has(key)) return { option: key, value: null, rest: words.slice(1) };
  const option = VALUE_OPTIONS[key];
  if (!option) throw unparsable(file, line, `\`${first}\` is not an option pip accepts in a requirements file.`);
  const inline = key === first ? null : first.slice(key.length).replace(/^=/, "");
  const value = inline ?? words[1] ?? null;
  if (!value) throw unparsable(file, line, `\`${key}\` needs a value.`);
  return { option, value, rest: inline !== null ? words.slice(1) : words.slice(2) };
}

/** Parses one requirements file into entries; includes are returned as entries, not followed. */
export function parseRequirementsTxt(text: string, file: string): Entry[] {
  const entries: Entry[] = [];
  for (const { line, text: content } of logicalLines(text)) {
    const origin: Origin = { file, line, text: content };
    if (/^(<<<<<<<|=======|>>>>>>>)/.test(content)) throw unparsable(file, line, "has an unresolved merge-conflict marker.");
    const words = content.split(/\s+/);
    if (content.startsWith("-")) {
      const { option, value, rest } = optionValue(words, file, line);
      if (option === "-r" || option === "-c") {
        entries.push({ kind: "include", target: value!, constraint: option === "-c", origin });
      } else if (option === "-e") {
        const target = [value!, ...rest].join(" ");
        const direct = directReference(target, true, origin);
        if (!direct) throw unparsable(file, line, `\`-e ${target}\` is neither a path nor a VCS URL.`);
        entries.push(direct);
        continue;
      } else {
        entries.push({ kind: "option", option, value, origin });
      }
      if (rest.length) throw unparsable(file, line, `unexpected \`${rest.join(" ")}\` after \`${option}\`.`);
      continue;
    }
    // A requirement, maybe followed by per-requirement options (--hash=…), which stay on the line.
    const cut = words.findIndex((w, i) => i > 0 && w.startsWith("-") && (PER_REQUIREMENT.test(w) || TRAILING_INDEX.test(w)));
    const head = (cut < 0 ? words : words.slice(0, cut)).join(" ");
    const tail = cut < 0 ? [] : words.slice(cut);
    for (let i = 0; i < tail.length; i++) {
      const w = tail[i]!;
      if (TRAILING_INDEX.test(w)) {
        const { option, value } = optionValue(tail.slice(i), file, line);
        entries.push({ kind: "option", option, value, origin });
        if (!w.includes("=")) i++;
      } else if (!PER_REQUIREMENT.test(w) && !tail[i - 1]?.match(/^(--global-option|--install-option|--config-settings|-C)$/)) {
        throw unparsable(file, line, `\`${w}\` is not an option pip accepts after a requirement.`);
      }
    }
    const perReq = tail.filter((w, i) => !TRAILING_INDEX.test(w) && !TRAILING_INDEX.test(tail[i - 1] ?? ""));
    const installLine = [head, ...perReq].join(" ");
    const direct = directReference(head.split(/\s*;\s*/)[0]!, false, origin);
    if (direct && direct.kind === "direct") {
      entries.push({ ...direct, line: installLine });
      continue;
    }
    const req = parseRequirement(head);
    if (!req) throw unparsable(file, line, `\`${head}\` is not a requirement pip can read.`);
    entries.push({ kind: "req", req, line: installLine, origin });
  }
  return entries;
}
