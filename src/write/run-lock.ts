// One run at a time per output folder. A run that writes holds .cuda-scaffold.lock in --out (the
// file holds its pid) from reading the old lock until its last rename, so two runs can never plan
// against each other's half-written tree. Another live run's lock is a clear refusal (exit 1); one
// left by a dead run, or one older than ten minutes (pids are reused), is taken over. Where the
// lock cannot be created because nothing can be written there (read-only, no permission, disk
// full), the run goes on without it: it cannot write either, and says so when it tries.
import { closeSync, constants, linkSync, mkdirSync, openSync, renameSync, rmdirSync, unlinkSync, writeSync } from "node:fs";
import { readRegularFile } from "../read-regular-file.js";
import { dirname, join, resolve } from "node:path";
import { fail } from "../errors.js";
import { pidAlive, STALE_AFTER_MS } from "./pid-alive.js";

export const RUN_LOCK = ".cuda-scaffold.lock";
const CANNOT_WRITE = ["EACCES", "EPERM", "EROFS", "ENOSPC", "EDQUOT"];

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code ?? "";

interface Holder {
  pid: number | null;
  ino: number;
  mtimeMs: number;
}

/** The most a run lock can hold: a pid and a newline. Anything larger is not one of ours. */
const HOLDER_MAX_BYTES = 4096;

/** Who holds the lock at `path`; null when it is gone. Read through the shared bounded reader, so a FIFO, device, link or huge file in its place is refused, never read. */
function holderOf(path: string): Holder | null {
  const read = readRegularFile(path, { maxBytes: HOLDER_MAX_BYTES, followLinks: false });
  if (read.ok) {
    const pid = /^(\d+)\s*$/.exec(read.text.slice(0, 64));
    return { pid: pid ? Number(pid[1]) : null, ino: read.ino, mtimeMs: read.mtimeMs };
  }
  if (read.kind === "absent") return null;
  return fail({ code: "unsafe-path", message: `${path} ${read.reason}, so it cannot be cuda-scaffold's run lock.`, hint: `Remove ${path} and run again.` });
}

function isStale(h: Holder): boolean {
  if (Date.now() - h.mtimeMs > STALE_AFTER_MS) return true;
  return h.pid !== null && (h.pid === process.pid || !pidAlive(h.pid));
}

/** Removes the stale lock `seen`, unless another run replaced it in the meantime (then it is put back). */
function takeOver(path: string, seen: Holder): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if (errno(err) === "ENOENT") return;
    throw err;
  }
  const moved = holderOf(aside);
  if (moved && (moved.ino !== seen.ino || moved.mtimeMs !== seen.mtimeMs || moved.pid !== seen.pid)) {
    try {
      linkSync(aside, path);
    } catch {
      // a third run took the place; that one holds it
    }
  }
  unlinkSync(aside);
}

function create(path: string): "held" | "taken" | "unwritable" {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  } catch (err) {
    if (errno(err) === "EEXIST") return "taken";
    if (CANNOT_WRITE.includes(errno(err))) return "unwritable";
    throw err;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } catch (err) {
    closeSync(fd);
    unlinkSync(path);
    if (CANNOT_WRITE.includes(errno(err))) return "unwritable";
    throw err;
  }
  closeSync(fd);
  return "held";
}

/** Takes the run lock of `root`; false when it cannot be created because nothing can be written there. */
function acquire(root: string): boolean {
  const path = join(root, RUN_LOCK);
  for (let attempt = 0; attempt < 5; attempt++) {
    const result = create(path);
    if (result !== "taken") return result === "held";
    const holder = holderOf(path);
    if (!holder) continue;
    if (!isStale(holder)) {
      const who = holder.pid === null ? "another cuda-scaffold run" : `another cuda-scaffold run (pid ${holder.pid})`;
      fail({
        code: "write-failed",
        message: `Not writing: ${who} is writing to ${root} (it holds ${path}). Nothing was changed.`,
        hint: `Wait for it to finish and run again. If no such run exists, delete ${path}.`,
      });
    }
    takeOver(path, holder);
  }
  fail({ code: "write-failed", message: `Not writing: other cuda-scaffold runs keep taking ${path}. Nothing was changed.`, hint: "Run again once they are done." });
}

/** Removes the lock at `path` if it is still ours (one older than ten minutes may have been taken over). */
function release(path: string): void {
  try {
    if (holderOf(path)?.pid === process.pid) unlinkSync(path);
  } catch {
    // gone already; a lock left behind is taken over by the next run
  }
}

/** Creates `dir` when missing (undone when left empty), and runs `body` holding its run lock. */
export function withRunLock<T>(dir: string, body: () => T): T {
  const root = resolve(dir);
  let first: string | undefined;
  let held = false;
  try {
    first = mkdirSync(root, { recursive: true });
    held = acquire(root);
  } catch (err) {
    // Not writable, or --out is not a folder (a file, a dangling link): the run goes on unlocked, and planning or writing says why it cannot write.
    if (![...CANNOT_WRITE, "EEXIST", "ENOTDIR", "ENOENT"].includes(errno(err))) throw err;
  }
  try {
    return body();
  } finally {
    if (held) release(join(root, RUN_LOCK));
    for (let d = root; first; d = dirname(d)) {
      try {
        rmdirSync(d);
      } catch {
        break;
      }
      if (d === first) break;
    }
  }
}
