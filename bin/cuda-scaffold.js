#!/usr/bin/env node
// Node >= 22.1 can keep the compiled bundle on disk between runs (module.enableCompileCache, in
// $NODE_COMPILE_CACHE or the system's temporary folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off),
// so that a start skips parsing and compiling it. It must be on before the bundle is imported,
// hence the dynamic import. Older Nodes have no such cache and compile the bundle on every start.
import module from "node:module";

try {
  module.enableCompileCache?.();
} catch {
  // A cache that cannot be used is no reason to fail: the bundle is compiled as without one.
}
await import("../dist/cli.js");
