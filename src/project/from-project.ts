// The commands' side of reading a project: whether this run reads one (and which folder), the
// request and resolution it gives, the lines that show what was read and changed, and the drift
// `check` reports when a dependency file changed after generation.
import { join } from "node:path";
import type { Matrix } from "../matrix/data.js";
import { parseRequest, type RawRequest } from "../request/parse-request.js";
import { rawFromOptions, type RequestOptions } from "../request/request-options.js";
import { resolveStack } from "../resolve/resolve-stack.js";
import type { Request } from "../request/types.js";
import type { Resolution } from "../resolve/types.js";
import { readProject, relativeDir, discover } from "./read-project.js";
import { resolveProject } from "./resolve-project.js";
import { recordFromLock, type ProjectRecord } from "./record.js";
import { createHash } from "node:crypto";
import { readRegularFile } from "../read-regular-file.js";
import { MAX_FILE_BYTES, MAX_LOCK_BYTES } from "./read-project.js";
import { fail } from "../errors.js";
import { isSingleLine } from "../render/quote.js";

export interface ProjectFlags {
  project?: string;
  allowUpgrade?: boolean;
  out?: string;
}

/** Where this run reads a project from, or null: --project; else the output folder when there is neither a spec nor a lock; else the folder a project lock names. */
export function projectSource(specs: string[], opts: ProjectFlags, lock: { request: Request } | null): { dir: string; record: ProjectRecord | undefined } | null {
  const out = opts.out ?? ".";
  if (opts.project !== undefined) return { dir: opts.project, record: undefined };
  if (specs.length > 0) return null;
  if (lock === null) return { dir: out, record: undefined };
  const record = recordFromLock((lock.request.project as { read?: unknown } | undefined)?.read);
  return record ? { dir: join(out, record.dir), record } : null;
}

/** Reads the project and resolves it; regenerating from a lock, the options typed then are used again. */
export function resolveFromProject(source: { dir: string; record: ProjectRecord | undefined }, base: RawRequest, opts: ProjectFlags, m: Matrix): { req: Request; res: Resolution } {
  const recordDir = relativeDir(opts.out ?? ".", source.dir);
  // The folder is recorded in the lock and named in the files' comments, each a single line.
  if (!isSingleLine(source.dir) || !isSingleLine(recordDir)) {
    fail({ code: "invalid-value", message: `--project ${JSON.stringify(source.dir)}: the path from the output folder to the project (${JSON.stringify(recordDir)}) holds a line break or a control character, which the lock and the files' comments cannot hold.`, hint: "Rename the folder (or the output folder) to a name of printable characters." });
  }
  const reading = readProject(source.dir, m);
  const rec = source.record;
  const raw: RawRequest = rec ? { ...base, specs: rec.typed.specs, cuda: rec.typed.cuda ?? undefined, python: rec.typed.python ?? undefined } : base;
  return resolveProject(reading, raw, m, { recordDir, allowUpgrade: rec ? rec.allowUpgrade : !!opts.allowUpgrade });
}

/** resolve and explain: the specs given, else the project (--project, else --out); no lock is consulted. */
export function requestFor(specs: string[], opts: RequestOptions, m: Matrix): { req: Request; res: Resolution } {
  const raw = rawFromOptions(specs, opts);
  if (opts.project !== undefined || specs.length === 0) return resolveFromProject({ dir: opts.project ?? opts.out ?? ".", record: undefined }, raw, opts, m);
  const req = parseRequest(raw, m);
  return { req, res: resolveStack(req, m) };
}

/** The lines a human reads after the stack summary: the files read, each change with why, the notes. */
export function projectLines(record: ProjectRecord | undefined): string[] {
  if (!record) return [];
  const lines = ["", `project ${record.dir}: read ${record.files.map((f) => f.path).join(", ") || "no file"}; ${record.install.length} other requirement${record.install.length === 1 ? "" : "s"} installed after the framework`];
  if (record.changes.length) lines.push("changes to the project's pins:", ...record.changes.map((c) => `  ~ ${c}`));
  if (record.notes.length) lines.push("notes:", ...record.notes.map((n) => `  - ${n}`));
  return lines;
}

/** The `project` key of --json output: the files read and every change made to their pins. */
export function projectJson(record: ProjectRecord | undefined) {
  return record ? { dir: record.dir, files: record.files, install: record.install, local: record.local, changes: record.changes, notes: record.notes } : undefined;
}

/** `check`: a dependency file that changed, vanished or appeared since generation is drift. */
export function projectDrift(out: string, record: ProjectRecord | undefined): string[] {
  if (!record) return [];
  const dir = join(out, record.dir);
  const drift: string[] = [];
  for (const f of record.files) {
    const read = readRegularFile(join(dir, f.path), { maxBytes: /\.lock$/.test(f.path) ? MAX_LOCK_BYTES : MAX_FILE_BYTES, followLinks: true });
    if (!read.ok) drift.push(`${f.path} ${read.kind === "absent" ? "is gone" : read.reason} since generation; re-run cuda-scaffold`);
    else if (createHash("sha256").update(read.text, "utf8").digest("hex") !== f.sha256) drift.push(`${f.path} changed since generation; re-run cuda-scaffold`);
  }
  let now: string[] = [];
  try {
    now = discover(dir).files.map((f) => f.path);
  } catch {
    return drift;
  }
  for (const path of now) if (!record.files.some((f) => f.path === path)) drift.push(`${path} is new since generation; re-run cuda-scaffold`);
  return drift;
}
