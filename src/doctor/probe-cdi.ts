// Reads the CDI spec folders: /etc/cdi and /var/run/cdi on a live host, or their copies in a
// --from folder (etc-cdi/ and var-run-cdi/, made with `cp -r /etc/cdi etc-cdi` and
// `cp -r /var/run/cdi var-run-cdi`). Only file names a spec can have (letters, digits, ".", "_",
// "-", ending in .yaml, .yml or .json) are read, at most MAX_SPECS per folder, each through the
// bounded reader; anything else is listed as a problem, never read.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { readRegularFile, type ReadFailure } from "../read-regular-file.js";
import { CDI_DIRS, MAX_CAPTURE_BYTES, type CdiCapture, type CdiDir } from "./raw-host.js";

export const MAX_SPECS = 32;

/** The folder in a capture that holds a copy of each CDI folder. */
export const CDI_CAPTURE_FOLDERS: Record<CdiDir, string> = { "/etc/cdi": "etc-cdi", "/var/run/cdi": "var-run-cdi" };

const SPEC_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\.(ya?ml|json)$/;

const isFolder = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** Called for a file that is a FIFO, a device or too large; a capture refuses it, a live host notes it. */
export type OnHostile = (path: string, failure: ReadFailure) => void;

/** `label`: how a hostile file's folder is named in the message (the capture's etc-cdi, or /etc/cdi). */
function readFolder(path: string, dir: CdiDir, label: string, into: CdiCapture, onHostile: OnHostile): void {
  let names: string[];
  try {
    names = readdirSync(path).sort();
  } catch (err) {
    into.problems.push(`${dir}: cannot be listed (${(err as NodeJS.ErrnoException).code ?? "error"})`);
    return;
  }
  const specs = names.filter((n) => SPEC_NAME.test(n));
  if (specs.length > MAX_SPECS) into.problems.push(`${dir}: ${specs.length} spec files; the first ${MAX_SPECS} are read`);
  const skipped = names.length - specs.length;
  if (skipped > 0) into.problems.push(`${dir}: ${skipped} entr${skipped === 1 ? "y" : "ies"} not named like a spec (*.yaml, *.json) not read`);
  for (const name of specs.slice(0, MAX_SPECS)) {
    const read = readRegularFile(join(path, name), { maxBytes: MAX_CAPTURE_BYTES, followLinks: true });
    if (read.ok) into.files.push({ dir, name, text: read.text });
    else if (read.kind === "special" || read.kind === "too-large") onHostile(`${label}/${name}`, read);
    else into.problems.push(`${dir}/${name} ${read.reason}`);
  }
}

/** The live host's CDI folders; a folder that does not exist holds no spec. */
export function probeCdiLive(): CdiCapture {
  const into: CdiCapture = { files: [], problems: [] };
  const note: OnHostile = (path, failure) => into.problems.push(`${path} ${failure.reason}`);
  for (const dir of CDI_DIRS) if (isFolder(dir)) readFolder(dir, dir, dir, into, note);
  return into;
}

/** The copies in a capture; undefined when it has neither (the capture says nothing about CDI). */
export function probeCdiDir(captureDir: string, onHostile: OnHostile): CdiCapture | undefined {
  const present = CDI_DIRS.filter((dir) => isFolder(join(captureDir, CDI_CAPTURE_FOLDERS[dir])));
  if (present.length === 0) return undefined;
  const into: CdiCapture = { files: [], problems: [] };
  for (const dir of present) readFolder(join(captureDir, CDI_CAPTURE_FOLDERS[dir]), dir, CDI_CAPTURE_FOLDERS[dir], into, onHostile);
  return into;
}
