#!/usr/bin/env node
// Node >= 22.1 can keep the compiled bundle on disk between runs (module.enableCompileCache, in
// $NODE_COMPILE_CACHE or the system's temporary folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off),
// so that a start skips parsing and compiling it. It must be on before the bundle is imported,
// hence the dynamic import.
//
// Older Nodes (20) have no such cache for modules, but V8 can cache the code of a script compiled
// through node:vm. There the same program, bundled as one CommonJS file (dist/chunks/cli.cjs), is
// compiled with V8's code cache from $XDG_CACHE_HOME/cuda-scaffold or ~/.cache/cuda-scaffold, and
// the cache is written when a run ends (it then holds what that run compiled; a run of a command
// that compiles more than the cache's run did writes it again). Measured on Node 20 (CPU time of
// the process): a full render about 50 ms less, `check` 45, `resolve` 20, `--version` the same.
// Any trouble with the cache (unreadable, corrupt, from another build or Node, an unwritable
// folder) only means running without it: V8 refuses a cache of another version or source, and a
// CRC-32 of the cache refuses a damaged one. NODE_DISABLE_COMPILE_CACHE=1 turns it off too.
import module from "node:module";

if (module.enableCompileCache || process.env.NODE_DISABLE_COMPILE_CACHE) {
  try {
    module.enableCompileCache?.();
  } catch {
    // A cache that cannot be used is no reason to fail: the bundle is compiled as without one.
  }
  await import("../dist/cli.js");
} else {
  const { readFileSync, writeFileSync, renameSync, mkdirSync, readdirSync, rmSync } = await import("node:fs");
  const { Script } = await import("node:vm");
  const { join, dirname, isAbsolute } = await import("node:path");
  const file = new URL("../dist/chunks/cli.cjs", import.meta.url);
  const filename = decodeURIComponent(file.pathname);
  const source = readFileSync(filename, "utf8");
  const require = module.createRequire(filename);

  // How much a command compiles: 0 for --version and --help, 1 for resolve and list, 2 for the rest.
  const args = process.argv.slice(2);
  const first = args.find((a) => !a.startsWith("-"));
  const level = first === undefined || args.some((a) => ["-V", "--version", "-h", "--help"].includes(a)) ? 0 : first === "resolve" || first === "list" ? 1 : 2;

  let cacheFile = null;
  let cachedData;
  let cachedLevel = -1;
  let crc32;
  try {
    // zlib.crc32 is in Node >= 20.15; without it there is no cache.
    crc32 = require("node:zlib").crc32;
    const build = /^\/\/([\w.+-]+)\n/.exec(source)?.[1];
    const xdg = process.env.XDG_CACHE_HOME;
    const dir = join(xdg && isAbsolute(xdg) ? xdg : join((await import("node:os")).homedir(), ".cache"), "cuda-scaffold");
    if (typeof crc32 === "function" && build) cacheFile = join(dir, `${build}-node${process.versions.node}-${process.arch}.v8cache`);
    // One byte: the level of the run that wrote it; four: the CRC-32 of the rest, V8's cache.
    const held = readFileSync(cacheFile);
    if (held.length > 5 && held.readUInt32LE(1) === crc32(held.subarray(5))) {
      cachedLevel = held[0];
      cachedData = held.subarray(5);
    }
  } catch {
    // No cache: compiled as without one.
  }

  const script = new Script(`(function (exports, require, module, __filename, __dirname, __importMetaUrl) {${source}\n})`, { filename, cachedData });
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected || cachedLevel < level)) {
    process.once("exit", () => {
      try {
        const data = script.createCachedData();
        const head = Buffer.alloc(5);
        head[0] = level;
        head.writeUInt32LE(crc32(data), 1);
        const dir = dirname(cacheFile);
        mkdirSync(dir, { recursive: true });
        // Written beside and renamed into place: a run that starts meanwhile reads the old one or the new one.
        const temp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(temp, Buffer.concat([head, data]));
        renameSync(temp, cacheFile);
        // This Node's caches of other builds of this version (a development tree's earlier builds) go.
        const [, version, node] = /^(.+)-[0-9a-f]{16}(-node.*)$/.exec(cacheFile.slice(dir.length + 1));
        for (const f of readdirSync(dir)) if (f.startsWith(`${version}-`) && f.endsWith(node) && join(dir, f) !== cacheFile) rmSync(join(dir, f), { force: true });
      } catch {
        // Not written: the next run compiles as this one did.
      }
    });
  }
  const m = { exports: {} };
  script.runInThisContext()(m.exports, require, m, filename, dirname(filename), file.href);
}
