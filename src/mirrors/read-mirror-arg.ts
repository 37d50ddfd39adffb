// --mirror's value as typed -> a preset's name or a mirror file's text (the request stage's only
// reading of the disk for it). A value of letters, digits and '-' alone names a preset (cn);
// anything else is a path (./mirrors.yaml), so a file is never mistaken for a preset or back.
import { readRegularFile } from "../read-regular-file.js";
import { MAX_MIRROR_FILE_BYTES } from "./mirror-file.js";
import type { RawMirror } from "./types.js";

const PRESET_LIKE = /^[A-Za-z][A-Za-z0-9-]*$/;

export function readMirrorArg(value: string): RawMirror {
  if (PRESET_LIKE.test(value)) return { kind: "preset", name: value };
  const read = readRegularFile(value, { maxBytes: MAX_MIRROR_FILE_BYTES, followLinks: true });
  if (read.ok) return { kind: "file", path: value, text: read.text };
  return { kind: "unreadable", path: value, reason: read.kind === "absent" ? "no such file (a preset's name is letters, digits and '-' only)" : read.reason };
}
