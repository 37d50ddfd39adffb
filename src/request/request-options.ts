// Command-line options -> RawRequest, and a lock file's request back into one, so that both go
// through the same validation.
import { existsSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { RawRequest } from "./parse-request.js";
import type { Request } from "./types.js";
import { recordFromLock } from "../project/record.js";
import { readMirrorArg } from "../mirrors/read-mirror-arg.js";

export interface RequestOptions {
  cuda?: string;
  python?: string;
  gpu?: string;
  /** --platform linux/amd64|linux/arm64 */
  platform?: string;
  driver?: string;
  os?: string;
  variant?: string;
  name?: string;
  gpus?: string;
  out?: string;
  /** cluster files: --with, --nodes, --registry, --runtime-class, --k8s-gfd */
  with?: string;
  nodes?: string;
  registry?: string;
  runtimeClass?: string;
  k8sGfd?: boolean;
  /** read the stack from this project folder (src/project/) */
  project?: string;
  allowUpgrade?: boolean;
  /** --mirror <preset|file> and --allow-insecure-mirror */
  mirror?: string;
  allowInsecureMirror?: boolean;
  /** --engine docker|podman */
  engine?: string;
}

export function projectFiles(outDir: string): RawRequest["project"] {
  return { requirements: existsSync(join(outDir, "requirements.txt")), pyproject: existsSync(join(outDir, "pyproject.toml")) };
}

export function rawFromOptions(specs: string[], opts: RequestOptions): RawRequest {
  const out = opts.out ?? ".";
  return {
    specs,
    cuda: opts.cuda,
    python: opts.python,
    gpu: opts.gpu,
    platform: opts.platform,
    driver: opts.driver,
    os: opts.os,
    variant: opts.variant,
    name: opts.name,
    gpus: opts.gpus,
    folderName: basename(resolve(out)),
    project: projectFiles(out),
    cluster: { with: opts.with, nodes: opts.nodes, registry: opts.registry, runtimeClass: opts.runtimeClass, k8sGfd: opts.k8sGfd },
    mirror: opts.mirror === undefined ? undefined : readMirrorArg(opts.mirror),
    allowInsecureMirror: opts.allowInsecureMirror,
    engine: opts.engine,
  };
}

/** A locked request, re-checked like a typed one (a lock file is input too). */
export function rawFromLock(req: Request, outDir: string): RawRequest {
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  return {
    specs: Array.isArray(req.specs) ? req.specs.map((s) => (s.range ? `${s.name}@${s.range}` : String(s.name))) : [],
    cuda: str(req.cuda),
    python: str(req.python),
    gpu: Array.isArray(req.gpu) && req.gpu.length ? req.gpu.join(",") : undefined,
    platform: str(req.platform),
    driver: str(req.driver),
    os: str(req.os),
    variant: str(req.variant),
    name: str(req.name),
    gpus: str(req.gpus),
    folderName: basename(resolve(outDir)),
    // A lock made from a project keeps what was read (the Dockerfile installs it), not today's files.
    project: req.project?.read !== undefined ? { requirements: false, pyproject: false, read: recordFromLock(req.project.read) } : projectFiles(outDir),
    cluster: clusterFromLock(req.cluster),
    // A mirror file's entries are recorded in the lock: the file itself need not be there now.
    mirror: req.mirror === undefined ? undefined : { kind: "locked", value: req.mirror },
    allowInsecureMirror: (req.mirror as { allowInsecure?: unknown } | undefined)?.allowInsecure === true,
    engine: str(req.engine),
  };
}

/** A locked cluster request back into options (absent: no cluster files). */
function clusterFromLock(c: unknown): RawRequest["cluster"] {
  if (typeof c !== "object" || c === null) return undefined;
  const v = c as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === "string" ? x : undefined);
  return {
    with: Array.isArray(v.with) ? v.with.map(String).join(",") : str(v.with) ?? "",
    nodes: typeof v.nodes === "number" ? String(v.nodes) : str(v.nodes),
    registry: str(v.registry),
    runtimeClass: str(v.runtimeClass),
    k8sGfd: v.k8sGfd === true,
  };
}
