#!/usr/bin/env node
// `npm run bench`: start-up cost of the CLI as ratios against a bare `node -e ''` start, beside the
// CLIs our users already run (@devcontainers/cli, create-vite), all measured in one run the same
// way; rendering every default stack in one process; where a full render's time goes; package
// size. Writes BENCHMARKS.md and keeps its history of ratios. Numbers, not assertions: tests never
// time anything.
//
// Runs on whatever Node runs it (every command is started with that Node). It measures a private
// copy of the package (bin/, package.json, a fresh bundle), so a concurrent `npm run build` cannot
// change what is measured halfway.
//
// Commands run without NODE_EXTRA_CA_CERTS and NODE_OPTIONS: Node 20 reads the whole extra CA
// bundle at every start when NODE_EXTRA_CA_CERTS is set (two thirds of a bare start here), which
// would hide our own cost in the denominator; users rarely have it. Where it is set, our commands
// are measured with it as well, in the same rounds, for comparison with older rows.
//
//   BENCH_RUNS=N         rounds (default 21), after one warm-up round
//   BENCH_NOTE=text      a note for this run's history row
//   BENCH_PACKAGE=dir    measure that package folder (bin/, dist/, package.json) instead of a fresh bundle
//   --tests              also time the whole test suite (`npx vitest run`) on this machine
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, tmpdir, totalmem, type, userInfo } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { BANNER, bundleCli, placeData } from "./bundle.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const NOTE = (process.env.BENCH_NOTE ?? "").replace(/\|/g, "/");
const node = process.execPath;
const work = mkdtempSync(join(tmpdir(), "cs-bench-"));
const load0 = loadavg()[0];
const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
const versionOf = (pkg) => JSON.parse(readFileSync(join(root, "node_modules", pkg, "package.json"), "utf8")).version;

// The package as a user gets it: bin/, package.json and dist/, bundled now into a private folder.
let pkg = process.env.BENCH_PACKAGE;
if (!pkg) {
  pkg = join(work, "pkg");
  mkdirSync(join(pkg, "bin"), { recursive: true });
  for (const f of readdirSync(join(root, "bin"))) copyFileSync(join(root, "bin", f), join(pkg, "bin", f));
  copyFileSync(join(root, "package.json"), join(pkg, "package.json"));
  await bundleCli(join(pkg, "dist"));
}
const bin = join(pkg, "bin/cuda-scaffold.cjs");

// The code cache goes to a folder of this run's own (the warm-up round writes it), so that the
// user's cache is left alone and no earlier cache is measured.
const clean = { ...process.env, XDG_CACHE_HOME: join(work, "cache") };
delete clean.NODE_EXTRA_CA_CERTS;
delete clean.NODE_OPTIONS;
delete clean.NODE_DISABLE_COMPILE_CACHE;
const certs = process.env.NODE_EXTRA_CA_CERTS ? { ...clean, NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : null;

function run(args, { cwd = work, env = clean, status = 0 } = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(node, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== status) throw new Error(`node ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return ms;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// A rendered project: `check` finds it up to date; the Dev Containers CLI reads its configuration.
const project = join(work, "project");
run([bin, "torch@1.9.0", "--out", project]);

// @devcontainers/cli with a stand-in engine, as test/support/devcontainer-cli.ts runs it.
const dcBin = realpathSync(join(root, "node_modules/.bin/devcontainer"));
const dcDir = join(work, "devcontainer");
const dcTmp = join(dcDir, "tmp");
const dcScratch = join(dcTmp, process.platform === "linux" ? `devcontainercli-${userInfo().username}` : "devcontainercli");
mkdirSync(dcScratch, { recursive: true });
writeFileSync(join(dcScratch, "control-manifest.json"), JSON.stringify({ disallowedFeatures: [], featureAdvisories: [] }));
const docker = join(dcDir, "docker");
const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
writeFileSync(docker, `#!/bin/sh\nunset NODE_EXTRA_CA_CERTS NODE_OPTIONS\nexec ${q(node)} ${q(join(root, "test/support/stand-in-docker.mjs"))} "$@"\n`, { mode: 0o755 });
writeFileSync(join(dcDir, "docker-calls.jsonl"), "");
const dcEnv = { ...clean, TMPDIR: dcTmp, NO_COLOR: "1", DOCKER_STANDIN_LOG: join(dcDir, "docker-calls.jsonl"), DOCKER_STANDIN_STATE: join(dcDir, "state") };
const viteBin = join(root, "node_modules/create-vite/index.js");
const floorScript = join(root, "scripts/bench-floor.cjs");

let fresh = 0;
const cases = [
  { id: "version", ours: true, label: "`cuda-scaffold --version`", args: () => [bin, "--version"] },
  { id: "resolve", ours: true, label: "`cuda-scaffold resolve torch@1.9.0 --json`", target: 1.15, args: () => [bin, "resolve", "torch@1.9.0", "--json"] },
  { id: "render", ours: true, label: "`cuda-scaffold torch@1.9.0` into a fresh folder (full render, writes 5 files)", target: 1.3, args: () => [bin, "torch@1.9.0", "--out", join(work, "fresh", String(fresh++))] },
  { id: "check", ours: true, label: "`cuda-scaffold check` on an up-to-date folder", target: 1.3, args: () => [bin, "check", "--out", project] },
  // Four frameworks with no common environment under an old driver: every combination of their builds is tried (break-it round 3: 6.5 s before the pair checks were cached).
  { id: "resolve-four", ours: true, label: "`cuda-scaffold resolve 'torch@*' 'tf@*' 'jax@*' 'paddle@*' --driver 450.80.02` (no stack: every combination tried)", args: () => [bin, "resolve", "torch@*", "tf@*", "jax@*", "paddle@*", "--driver", "450.80.02"], status: 1 },
  { id: "list", ours: true, label: "`cuda-scaffold list --json`", args: () => [bin, "list", "--json"] },
  { id: "dc-version", label: `\`devcontainer --version\` (@devcontainers/cli ${versionOf("@devcontainers/cli")})`, args: () => [dcBin, "--version"] },
  { id: "dc-read", label: "`devcontainer read-configuration` of the rendered project (stand-in engine)", args: () => [dcBin, "read-configuration", "--workspace-folder", project, "--docker-path", docker], cwd: project, env: dcEnv },
  { id: "vite-help", label: `\`create-vite --help\` (create-vite ${versionOf("create-vite")})`, args: () => [viteBin, "--help"] },
  // The floor (scripts/bench-floor.cjs): the same files hashed and committed, or read and compared, by a script that does nothing else.
  { id: "floor-render", floor: "render", label: "the floor under a render: its 5 files hashed and written as a render commits them (9 fsyncs)", args: () => [floorScript, "render", project, join(work, "floor", String(fresh++))] },
  { id: "floor-check", floor: "check", label: "the floor under a check: the lock and its 4 files read and compared by SHA-256", args: () => [floorScript, "check", project] },
];

// With NODE_EXTRA_CA_CERTS as this shell has it: our commands again, against their own bare starts.
const withCerts = certs ? cases.filter((c) => c.ours).map((c) => ({ ...c, id: `${c.id}+certs`, env: certs, certs: true })) : [];

// One round starts every command once, each right after a bare `node -e ''` (in the same
// environment); the order turns round by round so that no command always follows the same one.
// The first round only warms up (the file cache; on Node >= 22.1 our compile cache).
const all_ = [...cases, ...withCerts];
const base = [];
const baseCerts = [];
const times = new Map(all_.map((c) => [c.id, []]));
for (let round = -1; round < RUNS; round++) {
  for (let k = 0; k < all_.length; k++) {
    const c = all_[(k + Math.max(round, 0)) % all_.length];
    const b = run(["-e", ""], { env: c.certs ? certs : clean });
    const t = run(c.args(), c);
    if (round >= 0) {
      (c.certs ? baseCerts : base).push(b);
      times.get(c.id).push(t);
    }
  }
}
const bare = median(base);
const bareCerts = certs ? median(baseCerts) : null;
const rows = all_.map((c) => ({ ...c, ms: median(times.get(c.id)), ratio: median(times.get(c.id)) / (c.certs ? bareCerts : bare) }));
const ratio = (id) => rows.find((r) => r.id === id)?.ratio;

// Every default stack in one process.
const allDir = join(work, "render-all");
const allBuild = await build({ entryPoints: [join(root, "src/bench/render-all.ts")], outfile: join(allDir, "render-all.mjs"), bundle: true, format: "esm", platform: "node", target: "node20", metafile: true, banner: { js: BANNER } });
placeData(allBuild.metafile);
// Five runs, the median by wall time; the CPU time (all the process's threads over the same span)
// is reported beside it, since other work on a shared machine moves it much less than the wall time.
const allRuns = [0, 1, 2, 3, 4].map(() => JSON.parse(spawnSync(node, [join(allDir, "render-all.mjs")], { encoding: "utf8", env: clean }).stdout));
const all = allRuns.sort((a, b) => a.totalMs - b.totalMs)[2];
const allCpu = median(allRuns.map((r) => r.cpuMs));

// Where a full render's time goes: five CPU profiles, self time grouped, per run.
function profileFullRender(n = 5) {
  const dir = mkdtempSync(join(tmpdir(), "cs-prof-"));
  for (let i = 0; i < n; i++) spawnSync(node, ["--cpu-prof", "--cpu-prof-dir", dir, bin, "torch@1.9.0", "--out", join(dir, `out${i}`)], { cwd: work, env: clean });
  const groups = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"))) {
    const prof = JSON.parse(readFileSync(join(dir, file), "utf8"));
    const byId = new Map(prof.nodes.map((x) => [x.id, x]));
    prof.samples.forEach((id, i) => {
      const { functionName, url } = byId.get(id).callFrame;
      const group =
        functionName === "Script" && url === "node:vm" ? "loading the bundle's code from V8's code cache"
        : functionName === "compileForInternalLoader" ? "loading Node's built-in modules"
        : functionName === "(garbage collector)" ? "garbage collection"
        : functionName === "parse" && url === "" ? "JSON.parse (matrix data, lock file)"
        : url.includes("/dist/") ? "cuda-scaffold code (resolve, render, hash, plan writes)"
        : url.includes("/bin/") ? "cuda-scaffold's loader (bin/)"
        : functionName === "(idle)" || functionName === "(program)" ? "idle / VM"
        : url === "" ? "system calls (open, read, write, fsync, rename)"
        : "Node start-up and module loading";
      groups.set(group, (groups.get(group) ?? 0) + (prof.timeDeltas[i] ?? 0) / 1000 / n);
    });
  }
  rmSync(dir, { recursive: true, force: true });
  return [...groups].sort((a, b) => b[1] - a[1]);
}
const profile = profileFullRender();

let testsSeconds = null;
if (process.argv.includes("--tests")) {
  const t = process.hrtime.bigint();
  const r = spawnSync("npx", ["vitest", "run"], { cwd: root, stdio: "ignore" });
  testsSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) testsSeconds = `${testsSeconds.toFixed(0)} (failed)`;
}

const pack = process.env.BENCH_PACKAGE ? null : JSON.parse(spawnSync("npm", ["pack", "--dry-run", "--json"], { cwd: root, encoding: "utf8" }).stdout)[0];
const load1 = loadavg()[0];
rmSync(work, { recursive: true, force: true });

const fmt = (n) => n.toFixed(1);
const x = (r) => `${r.toFixed(2)}×`;
const date = new Date().toISOString().slice(0, 10);
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${type()} ${release()}`;
const compileCache = "the bin's own V8 code cache of each bundle file (bin/code-cache.cjs), in a cache folder of this run's own, written by the warm-up round";

// History: the rows already in BENCHMARKS.md, then this run's.
const historyHeader = ["date", "cuda-scaffold", "Node", "machine", "load avg", "bare node ms", "--version", "resolve", "full render", "check", "list", "all stacks ms", "devcontainer --version", "devcontainer read-configuration", "create-vite --help", "render / check / resolve with NODE_EXTRA_CA_CERTS", "test suite s", "note"];
let history = [];
try {
  const old = readFileSync(join(root, "BENCHMARKS.md"), "utf8");
  const at = old.indexOf("\n## History");
  if (at >= 0) history = old.slice(at).split("\n").filter((l) => /^\| \d{4}-\d\d-\d\d /.test(l));
} catch {}
const cell = (id) => (ratio(id) === undefined ? "" : x(ratio(id)));
history.push(
  `| ${[date, version, process.version, `${cpus().length} cores`, `${load0.toFixed(1)}–${load1.toFixed(1)}`, fmt(bare), cell("version"), cell("resolve"), cell("render"), cell("check"), cell("list"), fmt(all.totalMs), cell("dc-version"), cell("dc-read"), cell("vite-help"), certs ? `${cell("render+certs")} / ${cell("check+certs")} / ${cell("resolve+certs")}` : "", testsSeconds === null ? "" : typeof testsSeconds === "number" ? testsSeconds.toFixed(0) : testsSeconds, NOTE].join(" | ")} |`,
);

const target = (r) => (r.target ? `≤ ${r.target.toFixed(2)}× ${r.ratio <= r.target ? "met" : "missed"}` : "");
const missed = rows.filter((r) => r.target && !r.certs && r.ratio > r.target);
const certsCell = (r) => { const c = rows.find((x) => x.id === `${r.id}+certs`); return c ? ` ${fmt(c.ms)} ms, ${x(c.ratio)} |` : ""; };
const lines = [
  "# Benchmarks",
  "",
  `cuda-scaffold ${version}, measured by \`npm run bench\` on ${date}.`,
  "",
  `- Node ${process.version}; compile cache: ${compileCache}.`,
  `- Machine: ${machine}.`,
  `- Load average (1 min) at the start and the end: ${load0.toFixed(1)} and ${load1.toFixed(1)}${load0 > cpus().length / 2 || load1 > cpus().length / 2 ? " — other work was running, so the milliseconds are inflated; the interleaved ratios much less so" : ""}.`,
  `- Method: every command is started as \`node <its script> …\` with this Node, stdout discarded, without NODE_EXTRA_CA_CERTS and NODE_OPTIONS. One round starts each command once, each right after a bare \`node -e ''\`; ${RUNS} rounds after one warm-up round. Medians; ratio = the command's median / the median of all bare starts (${base.length} of them, median ${fmt(bare)} ms).`,
  ...(certs ? [`- This shell sets NODE_EXTRA_CA_CERTS, which Node ${process.versions.node.split(".")[0]} ${Number(process.versions.node.split(".")[0]) < 22 ? "reads at every start" : "reads only when it makes a TLS connection"}: our commands were also measured with it, in the same rounds, against bare starts with it (median ${fmt(bareCerts)} ms), as the rows before 2026-12-01 were.`] : []),
  "",
  "## cuda-scaffold",
  "",
  `| command | median ms | ratio | target |${certs ? " with NODE_EXTRA_CA_CERTS |" : ""}`,
  `| --- | ---: | ---: | --- |${certs ? " ---: |" : ""}`,
  ...rows.filter((r) => r.ours && !r.certs).map((r) => `| ${r.label} | ${fmt(r.ms)} | ${x(r.ratio)} | ${target(r)} |${certsCell(r)}`),
  "",
  `Every framework version's default stack resolved and rendered in one process: ${all.stacks} stacks (${(all.bytes / 1e6).toFixed(1)} MB of files) in ${fmt(all.totalMs)} ms (${all.perStackMs.toFixed(2)} ms per stack; target < 1000 ms ${all.totalMs < 1000 ? "met" : "missed"}; median of 5 runs; CPU time ${fmt(allCpu)} ms, median, the garbage collector's threads included).`,
  "",
  "## Above the floor",
  "",
  "What a render and a check cannot avoid, measured in the same rounds: scripts/bench-floor.cjs reads the rendered project's files, hashes them and commits them durably into a fresh folder (or reads and compares them), and does nothing else. The difference is the CLI's own work: loading its code, resolving the stack, rendering, and its checks of the output folder.",
  "",
  "| command | median ms | ratio | the CLI over its floor |",
  "| --- | ---: | ---: | ---: |",
  ...rows.filter((r) => r.floor).map((r) => { const cli = rows.find((c) => c.id === r.floor && !c.certs); return `| ${r.label} | ${fmt(r.ms)} | ${x(r.ratio)} | ${cli ? `${fmt(cli.ms - r.ms)} ms (${x(cli.ms / r.ms)})` : ""} |`; }),
  "",
  "## Beside the CLIs our users already run",
  "",
  "Measured in the same rounds as the table above, the same way.",
  "",
  "| command | median ms | ratio |",
  "| --- | ---: | ---: |",
  `| bare \`node -e ''\` | ${fmt(bare)} | 1.00× |`,
  ...rows.filter((r) => !r.certs && !r.floor && (["render", "check", "resolve"].includes(r.id) || !r.ours)).map((r) => `| ${r.label} | ${fmt(r.ms)} | ${x(r.ratio)} |`),
  "",
  "The stand-in engine is test/support/stand-in-docker.mjs behind `--docker-path`, as in the tests: `read-configuration` asks it `docker ps` twice, and each answer is one more Node start, where a real `docker ps` is one Go program and a round trip to the engine.",
  "",
  "## Where a full render's time goes",
  "",
  "Self time in `--cpu-prof` runs of the full render, grouped; mean of 5 runs:",
  "",
  "| part | ms |",
  "| --- | ---: |",
  ...profile.map(([group, ms]) => `| ${group} | ${fmt(ms)} |`),
  "",
  "## Measured and not kept",
  "",
  "Each was measured against the tree of its day, interleaved with bare starts as above:",
  "",
  "- A V8 startup snapshot (`node --snapshot-blob`) holding the loaded bundle after a render had run (5.9 MB): a render 2.10× and a resolve 1.72×, against 2.51× and 1.77× for the bin in the same rounds. Node reads a snapshot only from its own command line, so the bin would have to start a second Node, or be a shell script (which npm's shims on Windows run only where a POSIX shell is installed). Not kept.",
  "- Sources stored already wrapped as functions, so that the loader does not build a second copy of each: 2.57× against 2.52×, no gain.",
  "- A SHA-256 in JavaScript instead of node:crypto: 17 to 34 ms cold for the five files, against 6 to 12 ms for loading node:crypto and hashing them.",
  "- A larger young generation: `--min-semi-space-size=16` removes a render's four scavenges, but only on node's own command line; set at run time (v8.setFlagsFromString) it changes nothing.",
  "- SHA-256 in WebAssembly (hash-wasm 4.13, its sha256 module alone, bundled): a script that hashes the five files took 66.9 ms against 48.3 ms with node:crypto (bare start 40.4 ms), as hash-wasm instantiates its module asynchronously; in process, instantiating took about 9 ms and hashing 7 ms, where node:crypto loads in about 5.6 ms. Not kept.",
  "- Node's own flags, which only node's command line takes: resolve with --single-threaded-gc 1.63×, --min-semi-space-size=4 1.66×, =16 1.61×, --no-opt 1.69×, --max-lazy 1.82×, --no-concurrent-recompilation 1.57×, against 1.67× without (15 rounds each, one session): no flag pays beyond the noise. Passing them through the bin's first line (#!/usr/bin/env -S node …) was not tried: BusyBox's env has no -S, so the CLI would not start at all on Alpine (node:*-alpine images; https://github.com/nodejs/node/pull/49295, https://github.com/forcedotcom/cli/issues/3153).",
  "- Node's crypto binding (process.binding('crypto').Hash), which would skip loading node:crypto's 37 internal modules (4 to 5 ms; the loader already takes CRC-32 from the zlib binding this way): its constructor's arguments differ between Node releases, and on Node 20.20 a call with another release's arguments aborts the process in a C++ assertion, which no try/catch or self-test can catch. Not kept.",
  "",
  ...(missed.length ? [`Missed in this run: ${missed.map((r) => { const floor = rows.find((f) => f.floor === r.id); return `${r.id} (${x(r.ratio)} against ≤ ${r.target.toFixed(2)}×, ${fmt(r.ms - bare)} ms over a bare start${floor ? `; its floor alone is ${x(floor.ratio)}` : ""})`; }).join(", ")}. The profile above says where the time goes.`, ""] : []),
  pack
    ? `Package: ${(pack.size / 1024).toFixed(1)} KiB packed, ${(pack.unpackedSize / 1024).toFixed(1)} KiB unpacked, ${pack.entryCount} files (target < 1 MB unpacked ${pack.unpackedSize < 1e6 ? "met" : "missed"}).`
    : `Package: ${pkg} as given (BENCH_PACKAGE), not packed.`,
  "",
  "## History",
  "",
  "Ratios against a bare `node -e ''` start, one row per `npm run bench` run that was kept (the note says what changed). The row of 2026-11-29 was measured per command rather than in rounds, with NODE_EXTRA_CA_CERTS set (compare it with the NODE_EXTRA_CA_CERTS column), without `check` or the other CLIs.",
  "",
  `| ${historyHeader.join(" | ")} |`,
  `| ${historyHeader.map((h, i) => (i >= 5 && i < 17 ? "---:" : "---")).join(" | ")} |`,
  ...history,
  "",
];
writeFileSync(join(root, "BENCHMARKS.md"), lines.join("\n"));
process.stdout.write(lines.join("\n"));
