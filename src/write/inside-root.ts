// Every write stays inside the output folder. The root is the real path of --out: a --out that is
// itself a link is followed once, because the user named it. Below the root a link is followed
// only while it resolves inside the root; a target's nearest existing folder (a dangling link
// counts as existing) must resolve inside it, also when the file does not exist yet. Checked for
// every target when planning, and again right before each rename; the writer then works in the
// folders it opened (see folders.ts), so a folder swapped for a link after the check is not followed.
import { lstatSync, realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fail } from "../errors.js";

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code;

/** The real path of `outDir`; for a folder that does not exist yet, that of its nearest existing ancestor plus the rest. */
export function realRoot(outDir: string): string {
  const abs = resolve(outDir);
  const rest: string[] = [];
  for (let dir = abs; ; dir = dirname(dir)) {
    try {
      return join(realpathSync(dir), ...rest.reverse());
    } catch (err) {
      if (dir === dirname(dir) || !["ENOENT", "ENOTDIR"].includes(errno(err) ?? "")) throw err;
      rest.push(basename(dir));
    }
  }
}

export const isInside = (path: string, root: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (err) {
    if (["ENOENT", "ENOTDIR"].includes(errno(err) ?? "")) return false;
    throw err;
  }
}

export function refuse(rel: string, why: string, hint: string): never {
  fail({ code: "unsafe-path", message: `Refusing to write ${rel}: ${why}. Nothing was written.`, hint, reason: why });
}

/** The absolute target of `rel` under the real root `root`; refuses any path whose folder leads outside it. */
export function targetInside(root: string, rel: string): string {
  if (isAbsolute(rel) || rel.split(/[\\/]/).includes("..")) refuse(rel, "it is outside the output folder", "This is a bug in cuda-scaffold; please report it.");
  const target = join(root, rel);
  let dir = dirname(target);
  while (!exists(dir)) {
    if (dir === root || dir === dirname(dir)) return target;
    dir = dirname(dir);
  }
  const name = relative(root, dir) || "the output folder";
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    refuse(rel, `${name} is a link to a folder that does not exist`, `Remove the link ${dir}, or make it a real folder, then run again.`);
  }
  if (!isInside(real, root)) {
    refuse(rel, `${name} links outside the output folder (to ${real}), and cuda-scaffold never writes through such a link`, `Replace ${dir} with a real folder (or remove the link), or choose another --out.`);
  }
  return target;
}
