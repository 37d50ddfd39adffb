// The closed set of problems a user can cause. Expected errors carry what was asked, why it
// cannot be met and what would work; the CLI prints them as one paragraph each and exits 1
// (2 for drift and refused overwrites). Anything else is a bug.
export type ProblemCode =
  | "unknown-framework"
  | "unknown-version"
  | "invalid-value"
  | "no-matching-build"
  | "unknown-gpu"
  | "unsupported-gpu"
  | "driver-too-old"
  | "no-python"
  | "unknown-os"
  | "conflict"
  | "no-base-image"
  | "unsafe-path"
  | "no-lock"
  | "edited-file"
  | "write-failed";

export interface Problem {
  code: ProblemCode;
  message: string;
  /** values that do exist, nearest first */
  alternatives?: string[];
  /** what to change, e.g. a flag */
  hint?: string;
  /** unsafe-path: why the path is left alone, without the verb (`check` reads, a render writes) */
  reason?: string;
}

export class UserError extends Error {
  constructor(
    readonly problems: Problem[],
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(problems.map((p) => p.message).join("\n"));
    this.name = "UserError";
  }
}

export function fail(problem: Problem, exitCode: 1 | 2 = 1): never {
  throw new UserError([problem], exitCode);
}

/** Edit distance, for "did you mean" suggestions. */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** Up to `limit` candidates close to `input`, closest first. */
export function suggest(input: string, candidates: readonly string[], limit = 3): string[] {
  const needle = input.toLowerCase();
  return candidates
    .map((c) => ({ c, d: c.toLowerCase().startsWith(needle) && needle.length >= 2 ? 0 : distance(needle, c.toLowerCase()) }))
    .filter(({ c, d }) => d <= Math.max(2, Math.floor(c.length / 3)))
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, limit)
    .map(({ c }) => c);
}
