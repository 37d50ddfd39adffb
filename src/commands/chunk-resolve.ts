// What `resolve` and `list` need, and nothing that only rendering or writing needs (templates,
// Handlebars, the write path, host probing): the CLI loads this as one module, so that esbuild
// bundles it as one chunk. Node 20's ESM loader costs about a millisecond and a half per module
// file at start-up (resolve, read, compile, link), more than compiling the code itself.
export { resolve } from "./resolve.js";
export { list } from "./list.js";
export { matrix } from "../matrix/data.js";
export { staleDataNotice } from "../matrix/staleness.js";
