// One requirement -> what it means for the environment: a framework pin (with any CUDA hint it
// carries), a companion the framework's build brings, a CUDA library wheel, or an ordinary
// dependency. Which packages belong to which framework comes from the matrix.
import type { FrameworkName, Matrix } from "../matrix/data.js";
import { FRAMEWORK_NAMES } from "../matrix/lookup.js";
import { localLabel, normalizeName, withoutLocal, type Requirement } from "./pep508.js";
import type { CudaHint, FrameworkPin, Origin } from "./types.js";

/** Packages that name the framework itself (their version is the framework's version). */
const MAIN: Record<string, FrameworkName> = {
  torch: "torch",
  pytorch: "torch",
  tensorflow: "tensorflow",
  "tensorflow-gpu": "tensorflow",
  jax: "jax",
  jaxlib: "jax",
  "paddlepaddle-gpu": "paddle",
  paddlepaddle: "paddle",
};

/** CPU-only framework packages: kept as ordinary dependencies (the project asked for CPU on purpose). */
export const CPU_ONLY = new Set(["tensorflow-cpu", "jax-cpu"]);

export type Classified =
  | { kind: "framework"; pin: FrameworkPin; hints: CudaHint[] }
  | { kind: "companion"; framework: FrameworkName; req: Requirement; hints: CudaHint[] }
  | { kind: "cuda-wheel"; hint: CudaHint }
  | { kind: "dependency"; hints: CudaHint[] };

const companionIndex = new WeakMap<Matrix, Map<string, FrameworkName>>();

/** Packages a framework's builds install beside the main one (torchvision, jax-cuda12-plugin …). */
export function companions(m: Matrix): Map<string, FrameworkName> {
  let index = companionIndex.get(m);
  if (!index) {
    index = new Map();
    for (const fw of FRAMEWORK_NAMES) {
      for (const r of m.frameworks[fw]?.releases ?? []) {
        for (const b of r.builds) for (const p of b.packages) if (!MAIN[normalizeName(p.name)]) index.set(normalizeName(p.name), fw);
      }
    }
    companionIndex.set(m, index);
  }
  return index;
}

export function frameworkOf(name: string): FrameworkName | undefined {
  return MAIN[normalizeName(name)];
}

/** "cu111" -> "11.1", "cu92" -> "9.2", "cu128" -> "12.8"; null when not a CUDA tag. */
export function cudaFromTag(tag: string): string | null {
  const m = /^cu(?:da)?([0-9]{2,3})$/i.exec(tag);
  if (!m) return null;
  const digits = m[1]!;
  return `${Number(digits.slice(0, -1))}.${digits.slice(-1)}`;
}

/** CUDA a local version label names: "cu111", "cuda111", "cuda11.cudnn82" (a major alone). */
function cudaFromLocal(label: string): string | null {
  const dotted = /^cuda([0-9]{1,2})\.cudnn[0-9]+$/i.exec(label);
  if (dotted) return dotted[1]!;
  return cudaFromTag(label);
}

/** CUDA a jax extra names: cuda12, cuda12_pip, cuda11_cudnn86, cuda12-local … (plain "cuda" names none). */
function cudaFromJaxExtra(extra: string): string | null {
  const m = /^cuda([0-9]{2,3})(?:[_-].*)?$/i.exec(extra);
  if (!m) return null;
  return m[1]!.length === 2 ? String(Number(m[1])) : cudaFromTag(`cu${m[1]}`);
}

/** CUDA a paddle .postNNN build names, from the matrix's own package versions, else NNN read as CUDA. */
export function cudaFromPaddlePost(m: Matrix, version: string): string | null {
  const post = /\.post([0-9]{2,3})$/.exec(version)?.[1];
  if (!post) return null;
  for (const r of m.frameworks.paddle?.releases ?? []) {
    for (const b of r.builds) if (b.packages.some((p) => p.version.endsWith(`.post${post}`))) return b.cuda;
  }
  const cuda = cudaFromTag(`cu${post}`);
  return cuda && m.cuda.toolkits.some((t) => t.version === cuda) ? cuda : null;
}

/** CUDA an index or find-links URL is for (the PyTorch and Paddle per-CUDA indexes). */
export function cudaFromIndexUrl(url: string): string | null {
  const torch = /download(?:-r2)?\.pytorch\.org\/whl\/(?:lts\/[0-9.]+\/)?(cu[0-9]{2,3})(?:\/|$)/.exec(url);
  if (torch) return cudaFromTag(torch[1]!);
  const paddle = /paddlepaddle\.org\.cn\/packages\/stable\/(cu[0-9]{2,3})\/?/.exec(url);
  return paddle ? cudaFromTag(paddle[1]!) : null;
}

function hint(cuda: string | null, via: string, origin: Origin, framework?: FrameworkName): CudaHint[] {
  return cuda ? [{ cuda, via, origin, ...(framework ? { framework } : {}) }] : [];
}

export function classify(req: Requirement, origin: Origin, m: Matrix): Classified {
  const wheel = /^nvidia-[a-z0-9-]+-cu([0-9]{2})$/.exec(req.name);
  if (wheel) return { kind: "cuda-wheel", hint: { cuda: String(Number(wheel[1])), via: req.name, origin } };
  const label = localLabel(req.spec);
  const framework = MAIN[req.name] ?? companions(m).get(req.name);
  const labelHint = label ? hint(cudaFromLocal(label), `+${label}`, origin, framework) : [];
  if (MAIN[req.name] && framework) {
    const hints = [...labelHint];
    if (framework === "jax") for (const e of req.extras) hints.push(...hint(cudaFromJaxExtra(e), `${req.rawName}[${e}]`, origin, framework));
    const exact = /^===?([0-9][^,]*)$/.exec(withoutLocal(req.spec))?.[1];
    if (framework === "paddle" && exact) hints.push(...hint(cudaFromPaddlePost(m, exact), `${req.rawName}==${exact}`, origin, framework));
    const cpu = label === "cpu" || req.name === "paddlepaddle";
    const pin: FrameworkPin = { framework, package: req.name, spec: withoutLocal(req.spec), extras: req.extras, origin, unpinnable: null, cpu, locked: false };
    if (req.url) pin.unpinnable = `installs ${req.rawName} from ${req.url}, whose version cannot be read`;
    return { kind: "framework", pin, hints };
  }
  const companion = companions(m).get(req.name);
  if (companion) {
    const hints = [...labelHint];
    for (const e of req.extras) if (companion === "jax") hints.push(...hint(cudaFromJaxExtra(e), `${req.rawName}[${e}]`, origin, companion));
    const plugin = /^jax-cuda([0-9]{2})-(plugin|pjrt)$/.exec(req.name);
    if (plugin) hints.push(...hint(String(Number(plugin[1])), req.rawName, origin, companion));
    return { kind: "companion", framework: companion, req, hints };
  }
  return { kind: "dependency", hints: [] };
}
