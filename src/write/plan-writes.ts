// Compare the rendered files with the disk: what would be created, updated, left alone, or is
// protected because someone edited it. Reads only; never writes.
import { lstatSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join, resolve, sep, isAbsolute } from "node:path";
import { fail } from "../errors.js";
import { fileHash, verifySeal } from "../render/header.js";
import { LOCK_FILE, type GeneratedFile } from "../render/render-files.js";

export type ChangeKind = "create" | "update" | "unchanged" | "edited";

export interface Change {
  file: GeneratedFile;
  kind: ChangeKind;
  /** absolute target path */
  target: string;
  /** what is on disk now, when there is something */
  current: string | null;
  currentMode: number | null;
}

/** The disk content and mode of a path inside `root`, refusing anything that leaves it. */
export function readInside(root: string, rel: string): { target: string; content: string | null; mode: number | null } {
  if (isAbsolute(rel) || rel.split(/[\\/]/).includes("..")) fail({ code: "unsafe-path", message: `Refusing to write ${rel}: outside the output folder.` });
  const target = join(root, rel);
  let st;
  try {
    st = lstatSync(target);
  } catch {
    return { target, content: null, mode: null };
  }
  if (st.isSymbolicLink()) {
    fail({ code: "unsafe-path", message: `Refusing to write ${rel}: it is a symbolic link, and the tool never writes through links.`, hint: "Replace the link with a regular file, or choose another --out." });
  }
  if (!st.isFile()) fail({ code: "unsafe-path", message: `Refusing to write ${rel}: it exists and is not a regular file.` });
  const realParent = realpathSync(dirname(target));
  const realRoot = realpathSync(root);
  if (realParent !== realRoot && !realParent.startsWith(realRoot + sep)) {
    fail({ code: "unsafe-path", message: `Refusing to write ${rel}: its folder links outside the output folder.` });
  }
  return { target, content: readFileSync(target, "utf8"), mode: st.mode & 0o777 };
}

/** The lock file is the tool's own record: any valid lock of ours may be replaced. */
function isLock(path: string, content: string): boolean {
  if (path !== LOCK_FILE) return false;
  try {
    return (JSON.parse(content) as { lockfileVersion?: unknown }).lockfileVersion === 1;
  } catch {
    return false;
  }
}

export function planWrites(outDir: string, files: GeneratedFile[], lockedHashes: Record<string, string>): Change[] {
  const root = resolve(outDir);
  return files.map((file) => {
    const { target, content, mode } = readInside(root, file.path);
    let kind: ChangeKind;
    if (content === null) kind = "create";
    else if (content === file.content) kind = "unchanged";
    else if (lockedHashes[file.path] === fileHash(content) || verifySeal(content) === true || isLock(file.path, content)) kind = "update";
    else kind = "edited";
    return { file, kind, target, current: content, currentMode: mode };
  });
}
