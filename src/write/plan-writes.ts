// Compare the rendered files with the disk: what would be created, updated, left alone, or is
// protected because someone edited it. Reads only; never writes. Line endings do not count: a CRLF
// copy of a generated file (git core.autocrlf) is that file.
import { readRegularFile } from "../read-regular-file.js";
import { fail } from "../errors.js";
import { fileHash, verifySeal } from "../render/header.js";
import { LOCK_FILE, type GeneratedFile } from "../render/render-files.js";
import { realRoot, targetInside } from "./inside-root.js";
import { eolOf, toLf, type Eol } from "./line-endings.js";

export type ChangeKind = "create" | "update" | "unchanged" | "edited";

export interface Change {
  file: GeneratedFile;
  kind: ChangeKind;
  /** the real path of --out: every target is inside it */
  root: string;
  /** absolute target path */
  target: string;
  /** what is on disk now, with LF line endings, when there is something */
  current: string | null;
  currentMode: number | null;
  /** the line endings the file is written with: those of the file on disk */
  eol: Eol;
}

export interface OnDisk {
  target: string;
  /** the content with LF line endings; null when there is no file */
  content: string | null;
  mode: number | null;
  eol: Eol;
}

/** A generated file is a few hundred lines; anything far larger at its path is not ours. */
const MAX_TARGET_BYTES = 16 * 1024 * 1024;

const notOurs = (rel: string, why: string): never =>
  fail({ code: "unsafe-path", message: `Refusing to write ${rel}: ${why}.`, hint: "Replace it with a regular file, or choose another --out.", reason: why });

/** The disk content and mode of `rel` inside the real root `root`, refusing anything that leaves it. */
export function readInside(root: string, rel: string): OnDisk {
  const target = targetInside(root, rel);
  const none: OnDisk = { target, content: null, mode: null, eol: "lf" };
  // Never through a link, never blocking on a FIFO, checked again on the open file (it may have
  // changed since the lstat): the shared reader for files from outside.
  const read = readRegularFile(target, { maxBytes: MAX_TARGET_BYTES, followLinks: false });
  if (read.ok) return { target, content: toLf(read.text), mode: read.mode, eol: eolOf(read.text) };
  if (read.kind === "absent") return none;
  if (read.kind === "link") notOurs(rel, "it is a symbolic link, and the tool never reads or writes through links");
  if (read.kind === "folder" || read.kind === "special") notOurs(rel, "it exists and is not a regular file");
  return notOurs(rel, `it ${read.reason}`);
}

/** The lock file is the tool's own record: any valid lock of ours may be replaced (one an editor gave a byte-order mark too, as readLock reads it). */
function isLock(path: string, content: string): boolean {
  if (path !== LOCK_FILE) return false;
  try {
    return (JSON.parse(content.replace(/^\uFEFF/, "")) as { lockfileVersion?: unknown }).lockfileVersion === 1;
  } catch {
    return false;
  }
}

export function planWrites(outDir: string, files: GeneratedFile[], lockedHashes: Record<string, string>): Change[] {
  const root = realRoot(outDir);
  return files.map((file) => {
    const { target, content, mode, eol } = readInside(root, file.path);
    let kind: ChangeKind;
    if (content === null) kind = "create";
    else if (content === file.content) kind = "unchanged";
    else if (lockedHashes[file.path] === fileHash(content) || verifySeal(content) === true || isLock(file.path, content)) kind = "update";
    else kind = "edited";
    return { file, kind, root, target, current: content, currentMode: mode, eol };
  });
}
