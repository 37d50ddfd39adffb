// Known versions and their CUDA builds, as a table or as JSON.
import { matrix } from "../matrix/data.js";
import { FRAMEWORK_NAMES, isUnverified } from "../matrix/lookup.js";
import { frameworkNames } from "../request/parse-request.js";
import { fail, suggest } from "../errors.js";
import { newestFirst } from "../matrix/versions.js";

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd()).join("\n");
}

function frameworkRows(name: (typeof FRAMEWORK_NAMES)[number]) {
  const fw = matrix.frameworks[name]!;
  return [...fw.releases].sort((a, b) => newestFirst(a.version, b.version)).map((r) => ({
    framework: name,
    version: r.version,
    released: r.released ?? null,
    ...(isUnverified(r) ? { verified: false as const, unverifiedReason: r.unverifiedReason ?? null, unverifiedSources: r.unverifiedSources ?? [] } : {}),
    python: r.python,
    builds: r.builds.map((b) => ({ cuda: b.cuda, cudnn: b.cudnn, default: b.default === true, packages: b.packages })),
  }));
}

export function list(what: string | undefined, opts: { json?: boolean }, print: (s: string) => void): number {
  const key = what?.toLowerCase();
  if (key === "gpus" || key === "gpu") {
    const gpus = matrix.gpus.gpus;
    print(opts.json ? JSON.stringify(gpus, null, 2) : table([["NAME", "GPU", "CC", "ARCHITECTURE"], ...gpus.map((g) => [g.id, g.name, g.cc, g.architecture])]));
    return 0;
  }
  if (key === "cuda") {
    const rows = [...matrix.cuda.toolkits].sort((a, b) => newestFirst(a.version, b.version));
    print(opts.json ? JSON.stringify(rows, null, 2) : table([["CUDA", "RELEASES", "MIN DRIVER", "COMPUTE CAPABILITIES"], ...rows.map((t) => [`${t.version}${isUnverified(t) ? " (unverified)" : ""}`, t.releases.map((r) => r.version).join(" "), t.releases[0]!.driver, `${t.sm[0]}–${t.sm[t.sm.length - 1]}`])]));
    return 0;
  }
  let names = [...FRAMEWORK_NAMES].filter((n) => matrix.frameworks[n]);
  if (key) {
    const canonical = frameworkNames(matrix).get(key);
    if (!canonical || canonical === "cuda") {
      const known = [...names, "cuda", "gpus"];
      fail({ code: "unknown-framework", message: `Nothing to list for ${JSON.stringify(what)}.`, alternatives: suggest(key, known), hint: `Try one of: ${known.join(", ")}.` });
    }
    names = [canonical];
  }
  const rows = names.flatMap(frameworkRows);
  if (opts.json) {
    print(JSON.stringify(rows, null, 2));
    return 0;
  }
  const out = names.map((n) => {
    const body = rows.filter((r) => r.framework === n).map((r) => [`${r.version}${"verified" in r ? " (unverified)" : ""}`, r.released ?? "", r.python.join(" "), r.builds.map((b) => `${b.default ? "*" : ""}${b.cuda}`).join(" ")]);
    return `${matrix.frameworks[n]!.display}\n${table([["VERSION", "RELEASED", "PYTHON", "CUDA BUILDS (* = default)"], ...body])}`;
  });
  print(out.join("\n\n"));
  return 0;
}
