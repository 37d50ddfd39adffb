// Paths and small helpers for the doctor tests. The real capture lives in ../shared (outside the
// repo); tests that need it skip with a printed notice where it is absent.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { inspectHost } from "../../src/doctor/inspect.js";
import { probeHost } from "../../src/doctor/probe.js";
import type { HostFacts } from "../../src/doctor/types.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const REAL_HOST = join(ROOT, "../shared/real-hosts/h200-driver580");
export const HOSTS = join(ROOT, "fixtures/hosts");
export const hasRealHost = existsSync(join(REAL_HOST, "nvidia-smi-q.xml"));
if (!hasRealHost) console.warn(`notice: ${REAL_HOST} is absent; the real-host doctor tests are skipped.`);

export const variants = (): string[] =>
  readdirSync(HOSTS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

export const readCapture = (dir: string, file: string): string => readFileSync(join(dir, file), "utf8");

export async function inspectDir(dir: string): Promise<HostFacts> {
  return inspectHost(await probeHost({ from: dir }));
}
