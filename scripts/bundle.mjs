#!/usr/bin/env node
// Bundles src/cli.ts and every library into dist/ (ESM, code-split so commands load lazily);
// the published package has no runtime dependencies. Licences of bundled code go to
// THIRD-PARTY-LICENSES.txt.
import { build } from "esbuild";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
rmSync(join(root, "dist"), { recursive: true, force: true });
const result = await build({
  entryPoints: [join(root, "src/cli.ts")],
  outdir: join(root, "dist"),
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "none",
  metafile: true,
  chunkNames: "chunks/[name]-[hash]",
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
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
