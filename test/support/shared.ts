// ../shared holds the official schemas and real host captures. Tests that need it skip with a
// printed notice where it is absent (a clone outside this workspace).
import { existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const SHARED = join(ROOT, "../shared");
export const hasShared = existsSync(join(SHARED, "schemas"));
if (!hasShared) console.warn(`notice: ${SHARED} is absent; schema and real-host tests are skipped.`);
