// Reads a file that came from outside (a lock file, a saved capture) without trusting it: only a
// regular file is read, and at most `maxBytes` of it. A FIFO, socket or device (or a link to one)
// is refused before a byte is read: the file is checked with stat, opened non-blocking (so a FIFO
// cannot hang the open) and checked again on the open descriptor (so it cannot be swapped between
// the two). /proc files report size 0, so the cap is enforced on what is read, not on the size.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, type Stats } from "node:fs";

export type ReadFailure =
  | { ok: false; kind: "absent"; reason: string }
  | { ok: false; kind: "link"; reason: string }
  | { ok: false; kind: "folder"; reason: string }
  | { ok: false; kind: "special"; reason: string }
  | { ok: false; kind: "too-large"; reason: string }
  | { ok: false; kind: "unreadable"; reason: string };

export type ReadResult = { ok: true; text: string; /** permission bits of the file read */ mode: number; /** inode and modification time of the file read (from the open descriptor) */ ino: number; mtimeMs: number } | ReadFailure;

export interface ReadOptions {
  /** At most this many bytes are read; a larger file is refused. */
  maxBytes: number;
  /** Follow a symbolic link to a regular file (captures); refuse every link (the lock file). */
  followLinks: boolean;
}

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${n / (1024 * 1024)} MiB` : `${n / 1024} KiB`;
}

function kindOf(st: Stats): ReadFailure | null {
  if (st.isFile()) return null;
  if (st.isDirectory()) return { ok: false, kind: "folder", reason: "is a folder, not a file" };
  const what = st.isFIFO() ? "a FIFO" : st.isSocket() ? "a socket" : st.isCharacterDevice() || st.isBlockDevice() ? "a device" : "not a regular file";
  return { ok: false, kind: "special", reason: `is ${what}, not a regular file` };
}

function errnoFailure(err: unknown): ReadFailure {
  const e = err as NodeJS.ErrnoException;
  if (e.code === "ENOENT" || e.code === "ENOTDIR") return { ok: false, kind: "absent", reason: "does not exist" };
  if (e.code === "ELOOP") return { ok: false, kind: "link", reason: "is a symbolic link" };
  if (e.code === "EISDIR") return { ok: false, kind: "folder", reason: "is a folder, not a file" };
  return { ok: false, kind: "unreadable", reason: `cannot be read (${e.code ?? e.message})` };
}

export function readRegularFile(path: string, opts: ReadOptions): ReadResult {
  let st: Stats;
  try {
    st = opts.followLinks ? statSync(path) : lstatSync(path);
  } catch (err) {
    return errnoFailure(err);
  }
  if (!opts.followLinks && st.isSymbolicLink()) return { ok: false, kind: "link", reason: "is a symbolic link" };
  const before = kindOf(st);
  if (before) return before;
  if (st.size > opts.maxBytes) return tooLarge(opts.maxBytes);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | O_NONBLOCK | (opts.followLinks ? 0 : O_NOFOLLOW));
  } catch (err) {
    return errnoFailure(err);
  }
  try {
    const openedStat = fstatSync(fd);
    const opened = kindOf(openedStat);
    if (opened) return opened;
    const buf = Buffer.alloc(Math.min(opts.maxBytes + 1, Math.max(st.size + 1, 64 * 1024)));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > opts.maxBytes) return tooLarge(opts.maxBytes);
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return { ok: true, text: Buffer.concat(chunks, total).toString("utf8"), mode: openedStat.mode & 0o777, ino: openedStat.ino, mtimeMs: openedStat.mtimeMs };
  } catch (err) {
    return errnoFailure(err);
  } finally {
    closeSync(fd);
  }
}

function tooLarge(max: number): ReadFailure {
  return { ok: false, kind: "too-large", reason: `is larger than ${formatBytes(max)}` };
}
