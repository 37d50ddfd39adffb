#!/usr/bin/env node
// Bundles src/cli.ts and every library into dist/ (ESM, code-split so commands load lazily: cli.js
// holds Commander, and src/cli.ts imports the commands from two modules, commands/chunk-resolve and
// commands/chunk-render, so that a run loads a handful of files; see there why);
// the published package has no runtime dependencies. Licences of bundled code go to
// THIRD-PARTY-LICENSES.txt.
//
// `--outdir <dir>` bundles somewhere else (scripts/bench.mjs measures a private copy, so that a
// concurrent `npm run build` cannot swap dist/ under it) and leaves THIRD-PARTY-LICENSES.txt alone.
// dist/ itself is built beside and renamed into place, so a run that starts meanwhile finds
// either the old bundle or the new one, never half of one.
import { build, transform } from "esbuild";
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync, renameSync, existsSync } from "node:fs";
import { basename, join, dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { createHash } from "node:crypto";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const DATA_MODULES = ["generated/matrix.js", "generated/templates.js"];

export const BANNER = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

/**
 * The matrix data and the host script's shell parts stay out of the JavaScript: generated/matrix.js
 * and generated/templates.js read their JSON files from `./data/` beside themselves, on first use.
 * The output files esbuild put those modules in get the files beside them (one folder for both).
 */
export function placeData(metafile, outFileRoot = process.cwd()) {
  const folders = new Set();
  for (const module of DATA_MODULES) {
    const holders = Object.entries(metafile.outputs).filter(([, o]) => Object.keys(o.inputs).some((i) => i.endsWith(module)));
    if (holders.length > 1) throw new Error(`expected at most one output holding ${module}, found ${holders.length}`);
    for (const [file] of holders) folders.add(dirname(resolve(outFileRoot, file)));
  }
  if (folders.size !== 1) throw new Error(`expected ${DATA_MODULES.join(" and ")} in one folder of the bundle, found ${folders.size}`);
  const to = join([...folders][0], "data");
  cpSync(join(root, "generated/data"), to, { recursive: true });
  return to;
}

/**
 * Modules that cost a start-up milliseconds to load but that only some runs call. In the bundle
 * each becomes a module of stand-ins (functions and objects that forward every use to the real
 * export), and the real module is loaded on the first use.
 * - Built-ins: node:crypto brings its whole tree, node:child_process brings net, dgram and
 *   streams. Commander requires child_process for executable subcommands, which we have none of;
 *   header.ts hashes only when files are rendered, never for `resolve` or `--version`.
 *   node:fs/promises (with readline and the file watchers) is used only by doctor's folder probe.
 * - Libraries, bundled on their own as vendor/<name>.cjs beside the chunk that uses them: the
 *   YAML parser (a mirrors file, a conda environment.yml) and the TOML parser (pyproject.toml) are
 *   needed only when such a file is read, so other runs neither compile nor run them. semver
 *   only for a range other than the data's simple ones (src/matrix/versions.ts): a user's
 *   `torch@^2.1`, `--cuda ">=12.1 <13"`.
 */
const LAZY_BUILTINS = ["crypto", "child_process", "fs/promises"];
const LAZY_PACKAGES = ["yaml", "smol-toml", "semver"];

const requireHere = createRequire(import.meta.url);
const vendorFile = (name) => `vendor/${name.replace(/[^a-z0-9-]/gi, "_")}.cjs`;

/**
 * Source of a module whose exports stand in for those of the module that `load()` returns:
 * a function export becomes a function proxy (calls, `new`, `instanceof`, properties), an object
 * export an object proxy; each loads the real module on first use. (A primitive export would be
 * read at once; none of LAZY_BUILTINS or LAZY_PACKAGES has one that we import.)
 */
function standIns(real, loadExpression) {
  const lines = [`import { createRequire } from "node:module";`, `let m;`, `const load = () => (m ??= ${loadExpression});`];
  const proxy = (target, get) =>
    `/* @__PURE__ */ (() => { const p = new Proxy(${target}, { apply: (_, self, args) => Reflect.apply(${get}, self, args), construct: (_, args, nt) => Reflect.construct(${get}, args, nt === p ? ${get} : nt), get: (_, k) => Reflect.get(${get}, k), has: (_, k) => Reflect.has(${get}, k), set: (_, k, v) => Reflect.set(${get}, k, v), getPrototypeOf: () => Reflect.getPrototypeOf(${get}) }); return p; })()`;
  const keys = Object.keys(real).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));
  if (!keys.includes("default")) keys.push("default");
  keys.forEach((key, n) => {
    const get = key === "default" ? `(load().__esModule && "default" in load() ? load().default : load())` : `load()[${JSON.stringify(key)}]`;
    const value = key === "default" && !("default" in real) ? real : real[key];
    const stand = typeof value === "function" ? proxy("function () {}", get) : value !== null && typeof value === "object" ? proxy("{}", get) : `/* @__PURE__ */ (() => ${get})()`;
    lines.push(`const _${n} = ${stand};`, key === "default" ? `export default _${n};` : `export { _${n} as ${key} };`);
  });
  return lines.join("\n");
}

/** Vendor bundles (CommonJS, minified) of LAZY_PACKAGES, made once per build. */
async function vendorBundles() {
  const out = new Map();
  for (const name of LAZY_PACKAGES) {
    const r = await build({ stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: root, loader: "js" }, bundle: true, write: false, format: "cjs", platform: "node", target: "node20", minify: true, legalComments: "none", metafile: true });
    const text = r.outputFiles[0].text;
    const probe = { exports: {} };
    new Function("module", "exports", "require", text)(probe, probe.exports, requireHere);
    out.set(name, { text, exports: probe.exports, inputs: Object.keys(r.metafile.inputs) });
  }
  return out;
}

export function lazyModules(vendor) {
  return {
    name: "lazy-modules",
    setup(b) {
      const builtins = new RegExp(`^(node:)?(${LAZY_BUILTINS.join("|")})$`);
      b.onResolve({ filter: builtins }, (args) =>
        args.namespace === "lazy-builtin" ? { path: `node:${args.path.replace(/^node:/, "")}`, external: true } : { path: args.path.replace(/^node:/, ""), namespace: "lazy-builtin" },
      );
      b.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, ({ path }) => ({
        contents: standIns(requireHere(`node:${path}`), `createRequire(import.meta.filename)(${JSON.stringify(`node:${path}`)})`),
        loader: "js",
        resolveDir: root,
      }));
      const packages = new RegExp(`^(${LAZY_PACKAGES.map((p) => p.replace(/[-/]/g, "\\$&")).join("|")})$`);
      b.onResolve({ filter: packages }, (args) => (args.importer.includes("/node_modules/") ? undefined : { path: args.path, namespace: "lazy-package" }));
      b.onLoad({ filter: /.*/, namespace: "lazy-package" }, ({ path }) => ({
        contents: standIns(vendor.get(path).exports, `createRequire(import.meta.filename)(${JSON.stringify(`./${vendorFile(path)}`)})`),
        loader: "js",
        resolveDir: root,
      }));
    },
  };
}

/** Writes each vendor bundle beside every output file that holds its stand-ins. */
export function placeVendor(metafile, vendor, outFileRoot = process.cwd()) {
  for (const [name, { text }] of vendor) {
    for (const [file, o] of Object.entries(metafile.outputs)) {
      if (!Object.keys(o.inputs).includes(`lazy-package:${name}`)) continue;
      const to = join(dirname(resolve(outFileRoot, file)), vendorFile(name));
      mkdirSync(dirname(to), { recursive: true });
      writeFileSync(to, text);
    }
  }
}

/** Everything bundleCli and the benchmark's own bundle need: plugins, and what to place after. */
export async function lazyLoading() {
  const vendor = await vendorBundles();
  return {
    plugins: [lazyModules(vendor)],
    place: (metafile) => placeVendor(metafile, vendor),
    licensedInputs: [...vendor.values()].flatMap((v) => v.inputs),
  };
}

/**
 * Every output file as CommonJS (`.cjs`). esbuild splits code only in ESM, so the split ESM output
 * is converted file by file: `import` becomes `require`, `import()` becomes a `require` in a
 * promise, and relative specifiers name the `.cjs` files. Why CommonJS: on Node 20 an ESM entry
 * costs about 8 ms more to start than a CommonJS one (the ESM loader), and only scripts compiled
 * through node:vm can keep V8's code cache there (bin/cuda-scaffold.cjs). The sources name their
 * own folder and file as `import.meta.dirname` and `import.meta.filename` (Node >= 20.11 in ESM),
 * which become CommonJS's `__dirname` and `__filename`: no file URL is computed at start-up (the
 * first pathToFileURL costs over a millisecond).
 *
 * dist/cli.cjs starts with a line naming the version and a hash of every output file: the code
 * cache's file name carries it, so a cache never meets another build's code.
 */
export const ENTRY = "cli.cjs";
async function writeCommonJs(result, minify) {
  const outputs = result.outputFiles.filter((f) => f.path.endsWith(".js"));
  const converted = [];
  for (const file of outputs) {
    const { code } = await transform(file.text, { format: "cjs", platform: "node", target: "node20", minify, legalComments: "none", supported: { "dynamic-import": false } });
    if (/\bimport\(|\bimport\.meta\b/.test(code)) throw new Error(`${file.path}: an import() or import.meta survived the conversion to CommonJS`);
    const cjs = code.replace(/require\("(\.\.?\/[^"]+)\.js"\)/g, 'require("$1.cjs")');
    converted.push({ path: file.path.replace(/\.js$/, ".cjs"), text: cjs });
  }
  const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
  const hash = createHash("sha256");
  for (const f of [...converted].sort((a, b) => (a.path < b.path ? -1 : 1))) hash.update(`${basename(f.path)}\0${f.text}\0`);
  for (const f of converted) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, basename(f.path) === ENTRY ? `//${version}-${hash.digest("hex").slice(0, 16)}\n${f.text}` : f.text);
  }
}

/** `overrides`: esbuild options for experiments, e.g. `{ minify: false }` for a readable `--cpu-prof`. */
export async function bundleCli(outdir, overrides = {}) {
  const lazy = await lazyLoading();
  const result = await build({
    entryPoints: [join(root, "src/cli.ts")],
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    minify: true,
    legalComments: "none",
    metafile: true,
    write: false,
    // The metafile's paths are relative to this folder, and placeData resolves them from it.
    absWorkingDir: process.cwd(),
    chunkNames: "chunks/[name]-[hash]",
    define: { "import.meta.dirname": "__dirname", "import.meta.filename": "__filename" },
    plugins: lazy.plugins,
    ...overrides,
  });
  await writeCommonJs(result, overrides.minify ?? true);
  placeData(result.metafile);
  lazy.place(result.metafile);
  // The vendor bundles' sources count among the bundled packages (for the licences).
  for (const input of lazy.licensedInputs) result.metafile.inputs[input] ??= { bytes: 0, imports: [] };
  return result;
}

function writeLicences(metafile) {
  const packages = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) packages.add(m[1]);
  }
  const parts = ["Third-party software bundled in dist/ of cuda-scaffold, with its licence.\n"];
  for (const name of [...packages].sort()) {
    const dir = join(root, "node_modules", name);
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    let text = "";
    for (const file of ["LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "license"]) {
      try {
        text = readFileSync(join(dir, file), "utf8");
        break;
      } catch {}
    }
    parts.push(`${"=".repeat(78)}\n${name}@${pkg.version} — ${pkg.license}\n${"=".repeat(78)}\n${text.trim()}\n`);
  }
  writeFileSync(join(root, "THIRD-PARTY-LICENSES.txt"), parts.join("\n"));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const at = process.argv.indexOf("--outdir");
  if (at > 0) {
    const outdir = resolve(process.argv[at + 1]);
    rmSync(outdir, { recursive: true, force: true });
    await bundleCli(outdir);
  } else {
    const dist = join(root, "dist");
    // Beside dist/ on the same file system, in a folder git ignores.
    const scratch = join(root, "node_modules/.cache/cuda-scaffold");
    mkdirSync(scratch, { recursive: true });
    const fresh = join(scratch, `dist-${process.pid}`);
    const old = join(scratch, `dist-old-${process.pid}`);
    rmSync(fresh, { recursive: true, force: true });
    try {
      const result = await bundleCli(fresh);
      // Another build may swap dist/ at the same moment: the last rename wins, none fails.
      for (let attempt = 0; ; attempt++) {
        try {
          if (existsSync(dist)) renameSync(dist, `${old}-${attempt}`);
          renameSync(fresh, dist);
          break;
        } catch (err) {
          if (attempt >= 20 || !["ENOENT", "ENOTEMPTY", "EEXIST"].includes(err.code)) throw err;
        }
      }
      writeLicences(result.metafile);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
      for (const f of readdirSync(scratch)) if (f.startsWith(`dist-old-${process.pid}-`)) rmSync(join(scratch, f), { recursive: true, force: true });
    }
  }
}
