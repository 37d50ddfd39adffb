#!/usr/bin/env node
// The bin is CommonJS, as is the bundle in dist/ (scripts/bundle.mjs says why): on Node 20 an ESM
// entry costs about 8 ms more to start.
//
// Each file of the bundle is compiled through node:vm with V8's code cache, kept in
// $XDG_CACHE_HOME/cuda-scaffold or ~/.cache/cuda-scaffold (bin/code-cache.cjs). That cache is
// written when a run ends, so it holds every function the run compiled. Node's own module compile
// cache (module.enableCompileCache, Node >= 22.1) is written when a file is compiled, before any of
// its functions run, so those are compiled again at every start: measured on Node 24.22, a full
// render took 122 ms with Node's cache and 97 ms with this one, `resolve` 80 and 67 (a bare
// `node -e ''` 42).
// NODE_DISABLE_COMPILE_CACHE=1 turns it off: the bundle is then required as it is.
"use strict";
const entry = require("node:path").join(__dirname, "../dist/cli.cjs");
if (process.env.NODE_DISABLE_COMPILE_CACHE) require(entry);
else require("./code-cache.cjs").run(entry, process.argv.slice(2));
