// Reading cuda-scaffold.lock.json back. A broken lock is a clear error, not a crash.
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fail } from "../errors.js";
import { LOCK_FILE } from "../render/render-files.js";
import type { Request } from "../request/types.js";

export interface LockFile {
  lockfileVersion: number;
  tool: { name: string; version: string };
  matrixVersion: string;
  request: Request;
  resolution: Record<string, unknown> & { image?: string; imageStatus?: "supported" | "eol" | null };
  files: Record<string, string>;
}

export function readLock(outDir: string): LockFile | null {
  const path = join(outDir, LOCK_FILE);
  if (!existsSync(path)) return null;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    fail({ code: "no-lock", message: `${LOCK_FILE} is not valid JSON.`, hint: "Restore it from version control, or run cuda-scaffold with a spec and --force to write a new one." });
  }
  const lock = data as Partial<LockFile>;
  if (lock.lockfileVersion !== 1 || typeof lock.request !== "object" || lock.request === null || typeof lock.files !== "object") {
    fail({ code: "no-lock", message: `${LOCK_FILE} is not a cuda-scaffold lock file this version understands.`, hint: "Regenerate it with a spec, e.g. cuda-scaffold torch@1.9.0 --force." });
  }
  return lock as LockFile;
}
