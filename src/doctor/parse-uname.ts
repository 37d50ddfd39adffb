// The kernel release: the whole output of `uname -r`, or the third field of a `uname -a` line
// ("Linux vm 6.18.44-fc-v657-gpu #1 SMP …") found anywhere in a capture.
import { lines } from "./text-values.js";

const RELEASE = /^\d+\.\d+[\w.+~-]*$/;

export function parseUname(text: string): { kernel?: string } {
  const rows = lines(text).map((l) => l.trim()).filter((l) => l !== "");
  if (rows.length === 1 && RELEASE.test(rows[0]!)) return { kernel: rows[0]! };
  for (const row of rows) {
    const fields = row.split(/\s+/);
    if (fields[0] === "Linux" && fields.length >= 3 && RELEASE.test(fields[2]!)) return { kernel: fields[2]! };
  }
  return {};
}
