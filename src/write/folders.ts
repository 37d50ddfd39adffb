// The folders a write works in, each opened once. A check that a folder is inside --out, followed by
// a write through its path name, leaves a gap: another process that may write in --out can swap the
// folder for a link to somewhere else in between, and the write lands there (break-it: the write
// phase's check-then-rename race). So on Linux every folder is held open, from --out's real folder
// down one name at a time, never through a link (O_NOFOLLOW), and every create, write, fsync, link,
// rename and unlink of the write goes through /proc/self/fd/<fd>/<name>. That name is a magic link:
// the kernel does not resolve it as a path string but jumps to the open file's own path (fs/proc/fd.c
// proc_fd_link hands over the file's f_path, fs/proc/base.c proc_pid_get_link passes it to
// nd_jump_link; proc_pid_fd(5), openat2(2) on magic links), so whatever is swapped in at the folder's
// name later, the write stays in the folder that was opened. Node has no openat(); this is openat()
// through path names. Where /proc/self/fd does not work so (another system, /proc not mounted),
// which is found out once per process, each name is checked to lead inside --out right before each
// step instead, as before: a swap between that check and the step is still possible there.
import { closeSync, constants, existsSync, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { isInside, refuse, targetInside } from "./inside-root.js";

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code ?? "";

/** A folder to write in: `at(name)` is what to hand to node:fs for `name` in it, right before each step. */
export interface Folder {
  /** the folder's path as the user sees it, for messages */
  readonly shown: string;
  at(name: string): string;
  /** its entries' names */
  list(): string[];
  /** Best effort: where a folder cannot be synced, a rename in it is still atomic, only not yet durable. */
  sync(): void;
}

/** A folder this run made, to remove on failure: `name` in `parent`, or the absolute path `name` (--out and its missing parents). */
export interface MadeFolder {
  parent: Folder | null;
  name: string;
}

const DIR = constants.O_RDONLY | constants.O_DIRECTORY;
const PROC_FD = "/proc/self/fd";
/** The folder each open descriptor stands for, to name it in messages. */
const shownOf = new Map<number, string>();

/** `path` with a /proc/self/fd/<fd> prefix replaced by the folder it stands for. */
export const shownPath = (path: string): string => path.replace(/^\/proc\/self\/fd\/(\d+)(?=\/|$)/, (m, fd: string) => shownOf.get(Number(fd)) ?? m);

class OpenFolder implements Folder {
  constructor(
    readonly fd: number,
    readonly shown: string,
  ) {
    shownOf.set(fd, shown);
  }
  at(name: string): string {
    return `${PROC_FD}/${this.fd}/${name}`;
  }
  list(): string[] {
    return readdirSync(`${PROC_FD}/${this.fd}`);
  }
  sync(): void {
    try {
      fsyncSync(this.fd);
    } catch {
      // not supported here
    }
  }
  close(): void {
    shownOf.delete(this.fd);
    closeSync(this.fd);
  }
}

/** `.<name>.cuda-scaffold-<pid>.<kind>` → `<name>`: a temp file is checked as its target. */
const targetName = (name: string) => /^\.(.+)\.cuda-scaffold-\d+\.(?:tmp|old)$/.exec(name)?.[1] ?? name;

/** Without /proc/self/fd: a path name, checked to lead inside --out each time it is used. */
class NamedFolder implements Folder {
  constructor(
    private readonly root: string,
    private readonly rel: string,
  ) {}
  get shown(): string {
    return join(this.root, this.rel);
  }
  at(name: string): string {
    targetInside(this.root, join(this.rel, targetName(name)));
    return join(this.shown, name);
  }
  list(): string[] {
    return readdirSync(this.shown);
  }
  sync(): void {
    try {
      const fd = openSync(this.shown, DIR);
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch {
      // not supported here
    }
  }
}

/** Whether /proc/self/fd/<fd> of an open folder is that folder here; found out once per process. */
let procFdWorks: boolean | undefined;

function procFdWorksFor(fd: number): boolean {
  if (procFdWorks === undefined) {
    // CUDA_SCAFFOLD_PATHS_ONLY=1 is test-only: it makes this run work as it would without /proc/self/fd.
    procFdWorks = false;
    if (process.platform === "linux" && !process.env.CUDA_SCAFFOLD_PATHS_ONLY) {
      try {
        const viaProc = statSync(`${PROC_FD}/${fd}`);
        const own = fstatSync(fd);
        procFdWorks = viaProc.isDirectory() && viaProc.ino === own.ino && viaProc.dev === own.dev;
      } catch {
        // no /proc here
      }
    }
  }
  return procFdWorks;
}

/** The folders of one write under the real root `root`, opened as they are first asked for; `close()` when done. */
export class Folders {
  private readonly byRel = new Map<string, Folder>();
  private readonly opened: OpenFolder[] = [];

  constructor(
    private readonly root: string,
    private readonly made: MadeFolder[],
  ) {}

  /**
   * The folder `rel` ("" for --out) that the file `file` goes into. Missing folders are made when
   * `create` (and recorded), else the answer is null. Refuses a folder that leads outside --out.
   */
  get(rel: string, create: boolean, file: string): Folder | null {
    const known = this.byRel.get(rel);
    if (known) return known;
    const folder = rel === "" ? this.openRoot(create) : this.openBelow(rel, create, file);
    if (folder) this.byRel.set(rel, folder);
    return folder;
  }

  close(): void {
    for (const f of this.opened.splice(0)) {
      try {
        f.close();
      } catch {
        // closed already
      }
    }
  }

  private keep(fd: number, shown: string): OpenFolder {
    const f = new OpenFolder(fd, shown);
    this.opened.push(f);
    return f;
  }

  private openRoot(create: boolean): Folder | null {
    let fd: number;
    try {
      fd = openSync(this.root, DIR);
    } catch (err) {
      if (errno(err) !== "ENOENT") throw err;
      if (!create) return null;
      // --out (and its missing parents) as the user named it: made by path, recorded from the top down.
      const first = mkdirSync(this.root, { recursive: true });
      const chain: MadeFolder[] = [];
      for (let d = this.root; first && d !== dirname(d); d = dirname(d)) {
        chain.unshift({ parent: null, name: d });
        if (d === first) break;
      }
      this.made.push(...chain);
      fd = openSync(this.root, DIR);
    }
    if (procFdWorksFor(fd)) return this.keep(fd, this.root);
    closeSync(fd);
    return new NamedFolder(this.root, "");
  }

  private openBelow(rel: string, create: boolean, file: string): Folder | null {
    const parentRel = dirname(rel) === "." ? "" : dirname(rel);
    const parent = this.get(parentRel, create, file);
    if (!parent) return null;
    const name = basename(rel);
    if (parent instanceof NamedFolder) {
      if (create) this.mkdir(parent, name);
      else if (!existsSync(parent.at(name))) return null;
      return new NamedFolder(this.root, rel);
    }
    const path = parent.at(name);
    for (let tries = 0; ; tries++) {
      try {
        return this.keep(openSync(path, DIR | constants.O_NOFOLLOW), join(this.root, rel));
      } catch (err) {
        // O_NOFOLLOW with O_DIRECTORY answers ENOTDIR for a link here (ELOOP elsewhere): lstat tells a link from a file.
        if (["ENOTDIR", "ELOOP"].includes(errno(err)) && isLink(path)) return this.throughLink(rel, file);
        // Anything else (a file where the folder belongs, no permission) is named as the file that could not be written.
        if (errno(err) !== "ENOENT" || tries > 0) throw Object.assign(err as Error, { path: join(this.root, file) });
        if (!create) return null;
        this.mkdir(parent, name);
      }
    }
  }

  /** Makes `name` in `parent` unless it exists. */
  private mkdir(parent: Folder, name: string): void {
    try {
      mkdirSync(parent.at(name));
    } catch (err) {
      if (errno(err) === "EEXIST") return;
      throw err;
    }
    this.made.push({ parent, name });
  }

  /**
   * `rel` is a link: followed only while it leads inside --out (the planning rules), and then its
   * real folder is opened from --out down, each name of the real path not a link. A name that is a
   * link or missing there now changed after the realpath: refused.
   */
  private throughLink(rel: string, file: string): Folder {
    targetInside(this.root, file);
    const changed = (): never => refuse(file, `${rel} changed while cuda-scaffold was writing into it`, "Let nothing else change the output folder while cuda-scaffold writes into it, then run again.");
    let real: string;
    try {
      real = realpathSync(join(this.root, rel));
    } catch {
      return changed();
    }
    if (!isInside(real, this.root)) return changed();
    let folder = this.get("", false, file);
    let at = "";
    for (const name of relative(this.root, real).split(sep).filter(Boolean)) {
      at = at ? `${at}/${name}` : name;
      const known = this.byRel.get(at);
      if (known) {
        folder = known;
        continue;
      }
      if (!(folder instanceof OpenFolder)) return changed();
      try {
        folder = this.keep(openSync(folder.at(name), DIR | constants.O_NOFOLLOW), join(this.root, at));
      } catch {
        return changed();
      }
      this.byRel.set(at, folder);
    }
    return folder ?? changed();
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
