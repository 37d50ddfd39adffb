#!/usr/bin/env node
// `npm run bench`: start-up cost of the CLI as ratios against a bare `node -e ''` start, measured
// in the same run with the two alternating; rendering every stack in one process; package size.
// Writes BENCHMARKS.md. Numbers, not assertions: tests never time anything.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir, cpus, totalmem } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const bin = join(root, "bin/cuda-scaffold.js");
const work = mkdtempSync(join(tmpdir(), "cs-bench-"));

function time(args, cwd = work) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cases = [
  ["--version", [bin, "--version"]],
  ["resolve torch@1.9.0 --json", [bin, "resolve", "torch@1.9.0", "--json"]],
  ["full render torch@1.9.0 (writes 5 files)", [bin, "torch@1.9.0", "--out", join(work, "out"), "--force"]],
  ["list --json", [bin, "list", "--json"]],
];
const rows = [];
for (const [label, args] of cases) {
  const base = [];
  const cmd = [];
  time(["-e", ""]);
  time(args);
  for (let i = 0; i < RUNS; i++) {
    base.push(time(["-e", ""]));
    cmd.push(time(args));
  }
  rows.push({ label, ms: median(cmd), node: median(base), ratio: median(cmd) / median(base) });
}

const allOut = join(work, "render-all.mjs");
await build({ entryPoints: [join(root, "src/bench/render-all.ts")], outfile: allOut, bundle: true, format: "esm", platform: "node", target: "node20", banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
const all = JSON.parse(spawnSync(process.execPath, [allOut], { encoding: "utf8" }).stdout);

// Where a full render's time goes: one CPU profile, self time grouped.
function profileFullRender() {
  const dir = mkdtempSync(join(tmpdir(), "cs-prof-"));
  spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-dir", dir, bin, "torch@1.9.0", "--out", join(dir, "out"), "--name", "bench"], { cwd: work });
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  const prof = JSON.parse(readFileSync(join(dir, file), "utf8"));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const groups = new Map();
  prof.samples.forEach((id, i) => {
    const { functionName, url } = byId.get(id).callFrame;
    const group = functionName === "compileSourceTextModule" ? "compiling the bundle's modules"
      : functionName === "(garbage collector)" ? "garbage collection"
      : url.includes("/dist/") ? "cuda-scaffold code (parse data, resolve, render, write)"
      : functionName === "(idle)" || functionName === "(program)" ? "idle / VM"
      : "Node start-up and module loading";
    groups.set(group, (groups.get(group) ?? 0) + (prof.timeDeltas[i] ?? 0) / 1000);
  });
  return [...groups].sort((a, b) => b[1] - a[1]);
}
const profile = profileFullRender();
const full = rows.find((r) => r.label.startsWith("full render"));
const embedded = readFileSync(join(root, "generated/matrix.js"), "utf8").length;

const pack = JSON.parse(spawnSync("npm", ["pack", "--dry-run", "--json"], { cwd: root, encoding: "utf8" }).stdout)[0];
const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
const fmt = (n) => n.toFixed(1);
const lines = [
  "# Benchmarks",
  "",
  `cuda-scaffold ${version}, measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB.`,
  `Each command ran ${RUNS} times, alternating with a bare \`node -e ''\` in the same run; medians.`,
  "",
  "| command | median ms | bare node ms | ratio | target |",
  "| --- | ---: | ---: | ---: | --- |",
  ...rows.map((r) => `| \`${r.label}\` | ${fmt(r.ms)} | ${fmt(r.node)} | ${r.ratio.toFixed(2)}× | ${r.label.startsWith("full render") ? `≤ 1.30× ${r.ratio <= 1.3 ? "met" : "missed"}` : ""} |`),
  "",
  `Every framework version's default stack resolved and rendered in one process: ${all.stacks} stacks in ${fmt(all.totalMs)} ms (${all.perStackMs.toFixed(2)} ms per stack; target < 2000 ms ${all.totalMs < 2000 ? "met" : "missed"}).`,
  "",
  "Where a full render's time goes (one `--cpu-prof` run, self time):",
  "",
  "| part | ms |",
  "| --- | ---: |",
  ...profile.map(([group, ms]) => `| ${group} | ${fmt(ms)} |`),
  "",
  ...(full.ratio > 1.3
    ? [
        `Why the full-render target is missed: the run costs ${fmt(full.ms - full.node)} ms more than a bare start. ` +
          "The profile above splits it: loading and compiling the bundle (commander, Handlebars' runtime, the embedded " +
          `${(embedded / 1024).toFixed(0)} KiB of matrix data) and the CLI's own work (parsing that data, resolving, rendering ` +
          "five files, hashing and writing them atomically). Node 20 has no module compile cache (`module.enableCompileCache` " +
          "arrived in Node 22.1), so every start parses the bundle again; the data is embedded as one JSON string because " +
          "V8 parses that faster than an object literal.",
        "",
      ]
    : []),
  `Package: ${(pack.size / 1024).toFixed(1)} KiB packed, ${(pack.unpackedSize / 1024).toFixed(1)} KiB unpacked, ${pack.entryCount} files (target < 1 MB unpacked ${pack.unpackedSize < 1e6 ? "met" : "missed"}).`,
  "",
];
writeFileSync(join(root, "BENCHMARKS.md"), lines.join("\n"));
process.stdout.write(lines.join("\n"));
