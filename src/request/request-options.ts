// Command-line options -> RawRequest, and a lock file's request back into one, so that both go
// through the same validation.
import { existsSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { RawRequest } from "./parse-request.js";
import type { Request } from "./types.js";

export interface RequestOptions {
  cuda?: string;
  python?: string;
  gpu?: string;
  driver?: string;
  os?: string;
  variant?: string;
  name?: string;
  gpus?: string;
  out?: string;
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
    driver: opts.driver,
    os: opts.os,
    variant: opts.variant,
    name: opts.name,
    gpus: opts.gpus,
    folderName: basename(resolve(out)),
    project: projectFiles(out),
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
    driver: str(req.driver),
    os: str(req.os),
    variant: str(req.variant),
    name: str(req.name),
    gpus: str(req.gpus),
    folderName: basename(resolve(outDir)),
    project: projectFiles(outDir),
  };
}
