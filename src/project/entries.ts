// What every format parser emits: one entry per fact read, each with its origin. The project reader
// classifies and merges them; parsers know their format and nothing else.
import { UserError } from "../errors.js";
import type { Requirement } from "./pep508.js";
import type { CudaHint, Origin } from "./types.js";

export type Entry =
  /** a requirement by name, `line` being how to install it */
  | { kind: "req"; req: Requirement; line: string; origin: Origin }
  /** a VCS, URL or local-path requirement; name and version where they can be read */
  | { kind: "direct"; form: "vcs" | "url" | "local"; line: string; name: string | null; version: string | null; editable: boolean; origin: Origin }
  /** a pip option line (--find-links, --index-url, --extra-index-url, --trusted-host …) */
  | { kind: "option"; option: string; value: string | null; origin: Origin }
  | { kind: "include"; target: string; constraint: boolean; origin: Origin }
  | { kind: "python"; spec: string; origin: Origin }
  | { kind: "hint"; hint: CudaHint }
  | { kind: "not-installed"; origin: Origin; why: string }
  | { kind: "conda-only"; origin: Origin }
  | { kind: "warning"; origin: Origin | null; message: string }
  | { kind: "locked"; name: string; version: string; origin: Origin };

/** The error for a file that cannot be read as its format: names the file and the line. */
export function unparsable(file: string, line: number | null, why: string, hint?: string): UserError {
  return new UserError([
    {
      code: "invalid-value",
      message: `${file}${line !== null ? ` line ${line}` : ""}: ${why}`,
      hint: hint ?? "Fix that line (cuda-scaffold reads the file as pip, conda or the packaging tools would), or give the framework on the command line instead, e.g. cuda-scaffold torch@1.9.0.",
    },
  ]);
}

/** A quoted entry for messages: `torch==1.8.1+cu111` (requirements.txt line 3). */
export function quote(o: Origin): string {
  return `\`${o.text}\` (${o.file}${o.line !== null ? ` line ${o.line}` : ""})`;
}
