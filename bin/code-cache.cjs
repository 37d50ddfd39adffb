// V8's code cache for the bundle; see bin/cuda-scaffold.cjs. The bundle's files (dist/cli.cjs,
// dist/chunks/*.cjs) are CommonJS that require each other by relative `.cjs` names; each is
// compiled here with node:vm and its entry in the cache file, and everything else (Node's
// built-ins, the vendored parsers) is left to Node's own require.
//
// The cache file: "CSV9", then one entry per bundle file: its name's length (1 byte), its name,
// the kinds of run its data has seen (2 bytes, a bit per kind), a CRC-32 of its data (4 bytes),
// the data's length (4 bytes), V8's cached data. An entry is checked only when its file is loaded.
// There is one file per build, Node version and machine. A run writes it when it ends, if it
// loaded a file the cache lacked, or one whose entry no run of its kind has written: each kind of
// run compiles other functions (`check` never the writes, a render never the comparison), and V8's
// data, made when a run ends, holds the functions of every earlier run it was read from too.
// Any trouble with the cache (unreadable, corrupt, from another build or Node, an unwritable
// folder) only means running without it: V8 refuses a cache of another version or source, and the
// CRC-32 refuses a damaged entry (V8 itself checks no checksum of a code cache).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { Script } = require("node:vm");
const Module = require("node:module");

const MAGIC = "CSV9";

/**
 * CRC-32, computed in C++ (Node >= 20.15). The public node:zlib costs 2.5 to 4 ms to load, its
 * binding 0.1 ms: the binding is used where it is there and warns nothing (process.binding warns
 * only with pending deprecations on), else the public function. Without either there is no cache.
 */
function crc32Function() {
  const pending = process.execArgv.includes("--pending-deprecation") || /--pending-deprecation\b/.test(process.env.NODE_OPTIONS ?? "") || process.env.NODE_PENDING_DEPRECATION === "1";
  let f;
  try {
    if (!pending) f = process.binding("zlib").crc32;
  } catch {
    // no binding: the public function below
  }
  if (typeof f !== "function") f = require("node:zlib").crc32;
  if (typeof f !== "function" || f(Buffer.from("123456789"), 0) >>> 0 !== 0xcbf43926) return null;
  return (data) => f(data, 0) >>> 0;
}

// The CLI's subcommands (src/commands/subcommands.ts; test/code-cache.test.ts keeps them equal).
const KINDS = ["resolve", "list", "explain", "check", "doctor"];
/**
 * The kind of this run, as a bit: --version and help; each subcommand; the default command (a
 * render), with --with (cluster files) and with --project (a project's files) kinds of their own.
 */
exports.kindOf = kindOf;
function kindOf(args) {
  const first = args.find((a) => !a.startsWith("-"));
  if (first === undefined || args.some((a) => a === "-V" || a === "--version" || a === "-h" || a === "--help" || a === "help")) return 1;
  const sub = KINDS.indexOf(first);
  if (sub >= 0) return 2 << sub;
  const option = (name) => args.some((a) => a === name || a.startsWith(`${name}=`));
  return option("--with") ? 1 << 7 : option("--project") ? 1 << 8 : 1 << 6;
}

function cacheFolder() {
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, "cuda-scaffold");
  const home = process.env.HOME || require("node:os").homedir();
  return path.join(home, ".cache", "cuda-scaffold");
}

/** The entries of a cache file, by name; anything malformed ends the list where it starts. */
function readEntries(buffer) {
  const entries = new Map();
  if (buffer.toString("latin1", 0, 4) !== MAGIC) return entries;
  let at = 4;
  while (at < buffer.length) {
    const nameLength = buffer[at];
    const dataAt = at + 1 + nameLength + 10;
    if (dataAt > buffer.length) break;
    const name = buffer.toString("latin1", at + 1, at + 1 + nameLength);
    const kinds = buffer.readUInt16LE(at + 1 + nameLength);
    const crc = buffer.readUInt32LE(at + 3 + nameLength);
    const length = buffer.readUInt32LE(at + 7 + nameLength);
    if (dataAt + length > buffer.length) break;
    entries.set(name, { kinds, crc, data: buffer.subarray(dataAt, dataAt + length) });
    at = dataAt + length;
  }
  return entries;
}

function writeEntries(file, entries) {
  const parts = [Buffer.from(MAGIC, "latin1")];
  for (const [name, { kinds, crc, data }] of entries) {
    const head = Buffer.alloc(1 + name.length + 10);
    head[0] = name.length;
    head.write(name, 1, "latin1");
    head.writeUInt16LE(kinds, 1 + name.length);
    head.writeUInt32LE(crc, 3 + name.length);
    head.writeUInt32LE(data.length, 7 + name.length);
    parts.push(head, data);
  }
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  // Written beside and renamed into place: a run that starts meanwhile reads the old one or the new one.
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, Buffer.concat(parts));
  fs.renameSync(temp, file);
  // This Node's caches of other builds of this version (a development tree's earlier builds) go.
  const [, version, node] = /^(.+)-[0-9a-f]{16}(-node.*)$/.exec(path.basename(file));
  for (const f of fs.readdirSync(dir)) if (f.startsWith(`${version}-`) && f.endsWith(node) && path.join(dir, f) !== file) fs.rmSync(path.join(dir, f), { force: true });
}

/** Runs the bundle from its entry file, with the code cache where it can be had. */
exports.run = function run(entry, args) {
  const dist = path.dirname(entry);
  const kind = kindOf(args);
  const entrySource = fs.readFileSync(entry, "utf8");
  let cacheFile = null;
  let held = new Map();
  let crc32 = null;
  try {
    crc32 = crc32Function();
    const build = /^\/\/([\w.+-]+-[0-9a-f]{16})\n/.exec(entrySource)?.[1];
    if (crc32 && build) cacheFile = path.join(cacheFolder(), `${build}-node${process.versions.node}-${process.arch}.v8cache`);
    if (cacheFile) held = readEntries(fs.readFileSync(cacheFile));
  } catch {
    // No cache (none yet, or unreadable): compiled as without one.
  }

  const modules = new Map();
  // Files this run compiled whose entry is to be written when it ends.
  const renew = new Map();

  function load(file, source) {
    const known = modules.get(file);
    if (known) return known.exports;
    const name = path.relative(dist, file);
    const entryHeld = held.get(name);
    const cachedData = entryHeld && crc32(entryHeld.data) === entryHeld.crc ? entryHeld.data : undefined;
    const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source ?? fs.readFileSync(file, "utf8")}\n})`, { filename: file, cachedData });
    if (cachedData === undefined || script.cachedDataRejected || (entryHeld.kinds & kind) === 0) renew.set(name, { script, kinds: (cachedData === undefined || script.cachedDataRejected ? 0 : entryHeld.kinds) | kind });
    const module = { exports: {} };
    modules.set(file, module);
    const dir = path.dirname(file);
    const nodeRequire = Module.createRequire(file);
    const localRequire = (spec) => (spec.startsWith(".") && spec.endsWith(".cjs") && !spec.includes("/vendor/") ? load(path.join(dir, spec)) : nodeRequire(spec));
    localRequire.resolve = nodeRequire.resolve;
    script.runInThisContext()(module.exports, localRequire, module, file, dir);
    return module.exports;
  }

  if (cacheFile) {
    process.once("exit", () => {
      if (renew.size === 0) return;
      try {
        const entries = new Map(held);
        for (const [name, { script, kinds }] of renew) {
          const data = script.createCachedData();
          entries.set(name, { kinds, crc: crc32(data), data });
        }
        writeEntries(cacheFile, entries);
      } catch {
        // Not written: the next run compiles as this one did.
      }
    });
  }
  load(entry, entrySource);
};
