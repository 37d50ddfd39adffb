// --out itself, before a run reads or writes in it: a path the system cannot follow (a loop of
// symbolic links, a name longer than it allows, a file where a folder should be) is one clear
// error naming the folder, never a stack trace (break-it round 3, N4). A folder that does not
// exist yet is fine: a render makes it, and check says there is no lock in it.
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { fail } from "../errors.js";

/** Why the system cannot use a path, for the errno codes that say something about the path itself. */
export const PATH_CAUSES: Record<string, { why: string; hint: string }> = {
  ELOOP: { why: "its path loops through symbolic links", hint: "Follow the links (ls -l) and give the folder they should lead to, or another --out." },
  ENAMETOOLONG: { why: "its path is longer than the system allows", hint: "Choose a shorter --out." },
  ENOTDIR: { why: "a part of its path is a file, not a folder", hint: "Move that file aside, or choose another --out." },
};

export function checkOutFolder(dir: string): void {
  try {
    statSync(resolve(dir));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    const cause = PATH_CAUSES[code];
    if (cause) fail({ code: "invalid-value", message: `--out ${dir}: ${cause.why} (${code}); nothing was read or written.`, hint: cause.hint });
  }
}
