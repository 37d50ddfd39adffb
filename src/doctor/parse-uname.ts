// The kernel release: the whole output of `uname -r`, or the third field of a `uname -a` line
// ("Linux vm 6.18.44-fc-v657-gpu #1 SMP …") found anywhere in a capture; and the machine
// architecture, from a `uname -a` line ("… x86_64 x86_64 x86_64 GNU/Linux") or a release that
// names it (Enterprise Linux kernels end in .x86_64 / .aarch64).
import { lines } from "./text-values.js";

const RELEASE = /^\d+\.\d+[\w.+~-]*$/;

const MACHINES = ["x86_64", "aarch64", "arm64", "ppc64le", "s390x"];

function machineOf(kernel: string, fields: string[]): string | undefined {
  const named = fields.slice(3).find((f) => MACHINES.includes(f));
  const suffix = MACHINES.find((m) => kernel.endsWith(`.${m}`));
  const found = named ?? suffix;
  return found === "arm64" ? "aarch64" : found;
}

/** The kernel release and the fields of the line that named it (none for a bare `uname -r`). */
function unameRelease(text: string): { kernel: string; fields: string[] } | undefined {
  const rows = lines(text).map((l) => l.trim()).filter((l) => l !== "");
  if (rows.length === 1 && RELEASE.test(rows[0]!)) return { kernel: rows[0]!, fields: [] };
  for (const row of rows) {
    const fields = row.split(/\s+/);
    if (fields[0] === "Linux" && fields.length >= 3 && RELEASE.test(fields[2]!)) return { kernel: fields[2]!, fields };
  }
  return undefined;
}

export function parseUname(text: string): { kernel?: string } {
  const found = unameRelease(text);
  return found ? { kernel: found.kernel } : {};
}

/** The machine architecture the same capture names (aarch64, x86_64), when it names one. */
export function parseMachine(text: string): { machine?: string } {
  const found = unameRelease(text);
  const machine = found && machineOf(found.kernel, found.fields);
  return machine ? { machine } : {};
}
