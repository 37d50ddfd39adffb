#!/usr/bin/env node
// The bin is CommonJS, as is the bundle in dist/ (scripts/bundle.mjs says why): on Node 20 an ESM
// entry costs about 8 ms more to start.
//
// Node >= 22.1 keeps the compiled bundle on disk between runs (module.enableCompileCache, in
// $NODE_COMPILE_CACHE or the system's temporary folder; NODE_DISABLE_COMPILE_CACHE=1 turns it
// off), so that a start skips parsing and compiling it.
//
// Older Nodes (20) have no such cache, but V8 can cache the code of a script compiled through
// node:vm. There each file of the bundle is compiled so, with V8's code cache from
// $XDG_CACHE_HOME/cuda-scaffold or ~/.cache/cuda-scaffold: one file per build, Node version and
// machine, holding an entry per bundle file. It is written when a run ends, if this run compiled a
// file the cache lacked, or compiled more of it than the run that wrote its entry (--version and
// --help compile least, resolve and list more, the other commands most).
// Any trouble with the cache (unreadable, corrupt, from another build or Node, an unwritable
// folder) only means running without it: V8 refuses a cache of another version or source, and a
// CRC-32 of each entry refuses a damaged one. NODE_DISABLE_COMPILE_CACHE=1 turns it off too.
"use strict";
const Module = require("node:module");

const entry = require("node:path").join(__dirname, "../dist/cli.cjs");
if (Module.enableCompileCache || process.env.NODE_DISABLE_COMPILE_CACHE) {
  try {
    Module.enableCompileCache?.();
  } catch {
    // A cache that cannot be used is no reason to fail: the bundle is compiled as without one.
  }
  require(entry);
} else {
  require("./code-cache.cjs").run(entry, process.argv.slice(2));
}
