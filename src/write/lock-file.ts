// Reading cuda-scaffold.lock.json back. The lock is input like any other: it is read only when it
// is a regular file of bounded size, parsed, and checked against lock.schema.json before any field
// is used, so a broken, foreign or hostile lock is one clear `no-lock` error, never a crash, a
// hang or a silently dropped pin.
import { join } from "node:path";
import { fail, type Problem } from "../errors.js";
import { LOCK_FILE } from "../render/render-files.js";
import type { Request } from "../request/types.js";
import { formatBytes, readRegularFile } from "../read-regular-file.js";
import { validateSchema, type Schema } from "./json-schema-lite.js";
import lockSchema from "./lock.schema.json" with { type: "json" };

export interface LockFile {
  lockfileVersion: 1;
  tool: { name: "cuda-scaffold"; version: string };
  matrixVersion?: string;
  request: Request;
  resolution: Record<string, unknown> & { image: string; imageStatus?: "supported" | "eol" | "deleted" | null; frameworks: { packages?: unknown[] }[] };
  files: Record<string, string>;
}

/** A lock we write is a few KB; a larger one is not ours. */
export const MAX_LOCK_BYTES = 1024 * 1024;

export const LOCK_SCHEMA = lockSchema as Schema;

const REPLACE = "or write a new lock from a spec, which replaces it: e.g. cuda-scaffold torch@2.5.1 --force";

export interface ReadLockOptions {
  /**
   * The caller was given a spec and --force, so the lock is about to be rewritten: a lock that
   * cannot be read is ignored (treated as absent) instead of refused.
   */
  replacing?: boolean;
}

type Parsed = { lock: LockFile } | { problem: Problem } | { absent: true };

function problem(message: string, hint: string): { problem: Problem } {
  return { problem: { code: "no-lock", message: `${LOCK_FILE} ${message}`, hint } };
}

function parseJson(text: string): { value: unknown } | { problem: Problem } {
  try {
    return { value: JSON.parse(text) };
  } catch {
    if (/^(<<<<<<<|=======|>>>>>>>)( |$)/m.test(text)) {
      return problem("has unresolved merge-conflict markers (<<<<<<< … >>>>>>>), so it is not valid JSON.", `Resolve the conflict by keeping one side's lock whole (git checkout --ours/--theirs -- ${LOCK_FILE}), ${REPLACE}.`);
    }
    return problem("is not valid JSON.", `Restore it from version control (git checkout -- ${LOCK_FILE}), ${REPLACE}.`);
  }
}

/** Parses and checks a lock file's text (exported for the tests). */
export function parseLock(text: string): { lock: LockFile } | { problem: Problem } {
  const json = parseJson(text.replace(/^\uFEFF/, ""));
  if ("problem" in json) return json;
  const data = json.value;
  const { lockfileVersion: version, tool } = (typeof data === "object" && data !== null ? data : {}) as { lockfileVersion?: unknown; tool?: { name?: unknown; version?: unknown } };
  if (typeof version === "number" && version !== 1) {
    const ours = tool?.name === "cuda-scaffold";
    return problem(
      `has lockfileVersion ${version}; this version of cuda-scaffold reads lockfileVersion 1${ours ? ", so a newer or older cuda-scaffold wrote it" : ", and it does not say that cuda-scaffold wrote it"}.`,
      ours ? `Run the cuda-scaffold version named in its "tool" field (npx cuda-scaffold@<version> check), ${REPLACE}.` : `If another tool owns this file, use another --out; ${REPLACE}.`,
    );
  }
  const problems = validateSchema(LOCK_SCHEMA, data);
  if (problems.length) {
    const shown = problems.slice(0, 3).map((p) => p.message);
    const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : "";
    return problem(
      `is not a cuda-scaffold lock this version can read: ${shown.join("; ")}${more}.`,
      `${problems.some((p) => p.kind === "type") ? 'Versions and names are strings in a lock ("cuda": "11.8", "gpu": ["a100"]). ' : ""}Fix the field, restore the file from version control, ${REPLACE}.`,
    );
  }
  const lock = data as LockFile;
  if (Array.isArray(lock.request.gpu)) lock.request.gpu = [...new Set(lock.request.gpu)];
  return { lock };
}

function readLockFile(outDir: string): Parsed {
  const read = readRegularFile(join(outDir, LOCK_FILE), { maxBytes: MAX_LOCK_BYTES, followLinks: false });
  if (read.ok) return parseLock(read.text);
  switch (read.kind) {
    case "absent":
      return { absent: true };
    case "link":
      return problem("is a symbolic link; cuda-scaffold reads and writes its lock only as a regular file, never through a link.", `Replace the link with a copy of the file it points to, ${REPLACE}.`);
    case "folder":
      return problem("is a folder, not a file.", `Move the folder out of the way; then restore the lock from version control, ${REPLACE}.`);
    case "special":
      return problem(`${read.reason}; it is not read.`, `Remove it; then restore the lock from version control, ${REPLACE}.`);
    case "too-large":
      return problem(`is larger than ${formatBytes(MAX_LOCK_BYTES)}; a lock written by cuda-scaffold is a few KB, so it is not read.`, `Restore it from version control, ${REPLACE}.`);
    default:
      return problem(`${read.reason}.`, `Check its permissions, ${REPLACE}.`);
  }
}

/** The lock in `outDir`, or null when there is none (or, with `replacing`, none that can be read). */
export function readLock(outDir: string, opts: ReadLockOptions = {}): LockFile | null {
  const parsed = readLockFile(outDir);
  if ("absent" in parsed) return null;
  if ("problem" in parsed) {
    if (opts.replacing) return null;
    fail(parsed.problem);
  }
  return parsed.lock;
}
