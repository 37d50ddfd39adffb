// What a generation from a project keeps in the request (and so in the lock): the files read with
// their hashes, the lines installed after the framework, every change made to the project's pins,
// and the notes. Read back from a lock, it is checked like any other input: a line that could break
// out of the Dockerfile's here-document is refused.
import { fail } from "../errors.js";
import { isSingleLine } from "../render/quote.js";

export interface ProjectRecord {
  /** the project folder, relative to --out, with forward slashes ("." = the output folder) */
  dir: string;
  files: { path: string; sha256: string }[];
  /** lines of the requirements file installed after the framework, options first */
  install: string[];
  /** local installs (`-e .`, a path in the project), left to the dev container, which mounts the project */
  local: string[];
  /** each change made to what the project pins, with why */
  changes: string[];
  /** what the user should know about the project's files (conda-only packages, computed setup.py …) */
  notes: string[];
  /** what was typed on the command line next to the project, which wins over its files */
  typed: { specs: string[]; cuda: string | null; python: string | null };
  allowUpgrade: boolean;
}

/** The here-document delimiter of the project's requirements in the Dockerfile. */
export const REQUIREMENTS_EOF = "REQUIREMENTS";

const MAX_LINES = 4096;
const MAX_LINE = 4096;

/** A line that may stand in a here-document and a requirements file: one line, printable, not the delimiter. */
export function safeLine(line: string): boolean {
  return line.length <= MAX_LINE && isSingleLine(line) && line.trim() !== REQUIREMENTS_EOF;
}

function strings(v: unknown, what: string, check = safeLine): string[] {
  if (!Array.isArray(v) || v.length > MAX_LINES || v.some((x) => typeof x !== "string" || !check(x))) bad(what);
  return v as string[];
}

function bad(what: string): never {
  return fail({ code: "no-lock", message: `cuda-scaffold.lock.json: request.project.${what} is not what cuda-scaffold writes there.`, hint: "Restore the lock from version control, or regenerate it: cuda-scaffold --project . --force" });
}

const nullableString = (v: unknown, what: string): string | null => {
  if (v === null || v === undefined) return null;
  if (typeof v !== "string" || !safeLine(v) || v.length > 64) bad(what);
  return v as string;
};

/** A record read back from a lock file, validated; undefined when the lock has none. */
export function recordFromLock(value: unknown): ProjectRecord | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) bad("read");
  const v = value as Record<string, unknown>;
  if (typeof v.dir !== "string" || !safeLine(v.dir) || v.dir.length > 1024) bad("read.dir");
  const files = v.files;
  if (!Array.isArray(files) || files.length > 64) bad("read.files");
  const checked = (files as unknown[]).map((f) => {
    const file = f as { path?: unknown; sha256?: unknown };
    if (typeof file?.path !== "string" || !safeLine(file.path) || file.path.startsWith("/") || file.path.split("/").includes("..")) bad("read.files");
    if (typeof file.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(file.sha256)) bad("read.files");
    return { path: file.path as string, sha256: file.sha256 as string };
  });
  const typed = (v.typed ?? {}) as Record<string, unknown>;
  return {
    dir: v.dir as string,
    files: checked,
    install: strings(v.install, "read.install"),
    local: strings(v.local, "read.local"),
    changes: strings(v.changes, "read.changes"),
    notes: strings(v.notes, "read.notes"),
    typed: { specs: strings(typed.specs ?? [], "read.typed.specs"), cuda: nullableString(typed.cuda, "read.typed.cuda"), python: nullableString(typed.python, "read.typed.python") },
    allowUpgrade: v.allowUpgrade === true,
  };
}
