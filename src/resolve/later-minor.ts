// A build that loads the system CUDA and cuDNN, whose exact pair NVIDIA never published as an
// image or package (PaddlePaddle's cu112 with cuDNN 8.2, cu120 with cuDNN 8.9), runs on a later
// CUDA minor of the same major that carries a cuDNN it accepts (matrix/library-compat.yaml).
import type { Matrix } from "../matrix/data.js";
import { isUnverified } from "../matrix/lookup.js";
import { compare, major } from "../matrix/versions.js";
import { floorOf, planBase, type PlanFailure, type StackNeeds } from "./plan-base.js";
import type { BasePlan, Build } from "./types.js";

/** CUDA minors of the data after this one within its major, nearest first (never a row marked unverified). */
export function laterMinors(m: Matrix, cuda: string): string[] {
  return m.cuda.toolkits
    .filter((t) => !isUnverified(t))
    .map((t) => t.version)
    .filter((v) => major(v) === major(cuda) && compare(v, cuda) > 0)
    .sort(compare);
}

/** The builds that load the system libraries, when every one of them allows a later minor. */
function movable(builds: Build[]): Build[] {
  const system = builds.filter((b) => !b.bundlesCuda);
  return system.length > 0 && system.every((b) => b.systemLibs?.newerCudaMinor) ? system : [];
}

export type LaterMinor = { ok: true; cuda: string; plan: BasePlan; sources: string[] } | { ok: false; reason: string };

/**
 * The first later minor of the same major on which the stack has a base (same OS choice, Python and
 * driver rules as on its own minor), with a warning that says why; or the failure, extended to say
 * that later minors were tried too. Only for a missing base image or cuDNN, never for Python.
 */
export function planOnLaterMinor(m: Matrix, needs: StackNeeds, builds: Build[], failure: PlanFailure): LaterMinor {
  const system = movable(builds);
  if (failure.kind !== "no-base-image" || system.length === 0) return { ok: false, reason: failure.reason };
  const minors = laterMinors(m, needs.cuda);
  const tooNew: string[] = [];
  for (const cuda of minors) {
    const planned = planBase(m, { ...needs, cuda });
    if (!planned.ok) continue;
    const floor = floorOf(planned.plan.floors);
    if (needs.driver && floor && compare(floor.driver, needs.driver) > 0) {
      tooNew.push(`CUDA ${cuda} needs driver ${floor.driver}`);
      continue;
    }
    const sources = [...new Set(system.flatMap((b) => b.systemLibs!.sources))];
    const cudnn = needs.systemCudnn ? ` and cuDNN ${needs.systemCudnn}` : "";
    const labels = system.map((b) => b.label).join(" and ");
    const why = `${labels} ${system.length > 1 ? "are" : "is"} built for CUDA ${needs.cuda}${cudnn}, and no live image or NVIDIA package carries that pair (${failure.reason}); it runs on CUDA ${cuda}`;
    const rule = `CUDA ${major(cuda)}.x libraries serve builds of earlier ${major(cuda)}.x minors${needs.systemCudnn ? `, and cuDNN ${major(needs.systemCudnn)}.y serves builds made with ${major(needs.systemCudnn)}.x for x <= y` : ""} (matrix/library-compat.yaml; ${sources.join(", ")})`;
    const plan: BasePlan = {
      ...planned.plan,
      base: { ...planned.plan.base, why: `${planned.plan.base.why}; ${why}, because ${rule}` },
      warnings: [{ code: "cuda-minor-newer", message: `${why}: ${rule}.` }, ...planned.plan.warnings],
    };
    return { ok: true, cuda, plan, sources };
  }
  if (!minors.length) return { ok: false, reason: failure.reason };
  const driver = tooNew.length ? `; the later CUDA ${major(needs.cuda)} minors that matrix/library-compat.yaml allows need a newer driver than --driver ${needs.driver} (${tooNew.join(", ")})` : "";
  return { ok: false, reason: `${failure.reason}${driver || `; nor does any later CUDA ${major(needs.cuda)} minor (${minors.join(", ")}) that matrix/library-compat.yaml would allow`}` };
}
