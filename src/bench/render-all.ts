// Benchmark helper (bundled by scripts/bench.mjs, not shipped): resolves and renders the default
// stack of every framework version in one process and prints the timing as JSON.
import { matrix } from "../matrix/data.js";
import { FRAMEWORK_NAMES } from "../matrix/lookup.js";
import { parseRequest } from "../request/parse-request.js";
import { resolveStack } from "../resolve/resolve-stack.js";
import { renderFiles } from "../render/render-files.js";

const specs = FRAMEWORK_NAMES.flatMap((fw) => (matrix.frameworks[fw]?.releases ?? []).map((r) => `${fw}@${r.version}`));
const start = performance.now();
const cpu0 = process.cpuUsage();
let bytes = 0;
for (const spec of specs) {
  const req = parseRequest({ specs: [spec], name: "bench", folderName: "bench", project: { requirements: false, pyproject: false } }, matrix);
  for (const f of renderFiles(resolveStack(req, matrix), matrix, "0.0.0")) bytes += f.content.length;
}
const ms = performance.now() - start;
// CPU time of the process over the same span (all its threads, the garbage collector's included):
// on a machine other work shares, it moves much less than the wall time does.
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(JSON.stringify({ stacks: specs.length, totalMs: ms, perStackMs: ms / specs.length, cpuMs, bytes }) + "\n");
