// Resolution -> the flat views the templates read. All choices and all encoding happen here;
// templates only place values (`if` and `each`, no version logic).
import type { Matrix } from "../matrix/data.js";
import { fillTool, imageTag, pythonRelease, tool } from "../matrix/lookup.js";
import { compare, major, majorMinor } from "../matrix/versions.js";
import type { Build, Resolution } from "../resolve/types.js";
import type { CudaImage } from "../matrix/types.gen.js";
import { shellQuote, shellWord } from "./quote.js";

export const USER = "dev";
const SHM_SIZE = "8gb";

function pin(p: { name: string; version: string; extras?: string[] }, withExtras: boolean): string {
  const extras = withExtras && p.extras?.length ? `[${p.extras.join(",")}]` : "";
  return `${p.name}${extras}==${p.version}`;
}

/** Lines of one shell command: every line but the last ends in a continuation backslash. */
function continued(words: string[]): string[] {
  return words.map((w, i) => (i < words.length - 1 ? `${w} \\` : w));
}

/** Where uv (or, for an OS's own old Python, pip) caches downloads: a cache mount at build time, a named volume in compose. */
function cacheDir(res: Resolution): string {
  return res.plan.python.source === "system" ? "/tmp/pip-cache" : "/tmp/uv-cache";
}

export function stackSummary(res: Resolution): string {
  const fw = res.builds
    .filter((b) => b.framework !== "cuda")
    .map((b) => {
      const [main, ...rest] = b.packages;
      const companions = rest.length ? ` (${rest.map((p) => `${p.name} ${p.version}`).join(", ")})` : "";
      return `${main?.name ?? b.framework} ${main?.version ?? b.version}${companions}`;
    });
  const cudnn = res.cudnn ? ` · cuDNN ${res.cudnn}` : "";
  return [...fw, `CUDA ${res.cuda}${cudnn}`, `Python ${res.plan.python.version}`, res.plan.os.name].join(" · ");
}

function pipArgs(builds: Build[], uv: boolean): string {
  const withIndex = builds.filter((b) => b.packages.length);
  const args: string[] = [];
  const several = withIndex.length > 1;
  for (const b of withIndex) {
    if (b.pip.indexUrl) args.push(several ? "--extra-index-url" : "--index-url", shellQuote(b.pip.indexUrl));
    if (b.pip.extraIndexUrl) args.push("--extra-index-url", shellQuote(b.pip.extraIndexUrl));
    if (b.pip.findLinks) args.push("--find-links", shellQuote(b.pip.findLinks));
  }
  if (uv && several && withIndex.some((b) => b.pip.indexUrl || b.pip.extraIndexUrl)) args.push("--index-strategy", "unsafe-best-match");
  return args.length ? ` ${args.join(" ")}` : "";
}

function installWhy(b: Build): string[] {
  const where = b.pip.indexUrl ?? b.pip.findLinks ?? b.pip.extraIndexUrl;
  const lines = [
    where
      ? `${b.label}: the CUDA ${b.cuda} build, from ${where}, as ${b.display}'s own install command names it.`
      : `${b.label}: the CUDA ${b.cuda} build, from PyPI.`,
  ];
  lines.push(
    b.bundlesCuda
      ? "Its wheels bring the CUDA runtime and cuDNN themselves; the image only needs the host's driver."
      : `It loads CUDA ${b.cuda}${b.cudnn ? ` and cuDNN ${majorMinor(b.cudnn)}` : ""} from the image, which is why the base carries them.`,
  );
  return lines;
}

export function dockerfileView(res: Resolution, m: Matrix, header: string) {
  const { plan } = res;
  const debian = plan.os.family === "debian";
  const repoBase = tool(m, "cudaRepoBase");
  const frameworks = res.builds.filter((b) => b.packages.length);
  const has = (name: string) => res.builds.some((b) => b.framework === name);
  const system = plan.python.source === "system";
  const basePackages = ["ca-certificates", ...(system ? (debian ? ["python3", "python3-venv"] : ["python3"]) : [])];
  const pipSpec = pythonRelease(m, plan.python.version)?.pip;
  return {
    syntax: tool(m, "dockerfileSyntax"),
    header,
    stack: stackSummary(res),
    user: USER,
    baseWhy: plan.base.why,
    baseImage: plan.base.from,
    debian,
    setNvidiaEnv: plan.base.kind === "os",
    basePackages,
    baseNvidiaPackages: plan.base.packages.map(shellQuote),
    baseMlRepo: plan.base.mlRepo,
    mlRepoUrl: `${tool(m, "cudaMlRepoBase")}/${plan.os.nvidiaRepo}/x86_64`,
    keyringUrl: plan.os.cudaKeyring ? `${repoBase}/${plan.os.nvidiaRepo}/x86_64/${plan.os.cudaKeyring}` : "",
    rpmRepoUrl: `${repoBase}/${plan.os.nvidiaRepo}/x86_64/${fillTool(m, "cudaRpmRepoFile", { REPO: plan.os.nvidiaRepo })}`,
    uvPython: plan.python.source === "uv",
    uvImage: tool(m, "uvImage"),
    python: plan.python.version,
    pythonArg: `/usr/bin/python${plan.python.version}`,
    cacheDir: cacheDir(res),
    installer: system ? "pip install" : "uv pip install",
    pipUpgrade: shellQuote(pipSpec ? `pip${pipSpec}` : "pip"),
    os: plan.os.name,
    frameworkInstall: frameworks.length > 0,
    installWhy: frameworks.flatMap(installWhy),
    pipArgs: pipArgs(frameworks, !system),
    pinLines: continued(frameworks.flatMap((b) => b.packages.map((p) => shellQuote(pin(p, true))))),
    constraints: frameworks.flatMap((b) => b.packages.map((p) => pin(p, false))),
    requirementsTxt: res.request.project.requirements,
    pyprojectToml: res.request.project.pyproject,
    checkTorch: has("torch"),
    checkTensorflow: has("tensorflow"),
    checkJax: has("jax"),
    checkPaddle: has("paddle"),
    checkCuda: has("cuda"),
    cudaMajor: String(major(res.cuda)),
    cuda: res.cuda,
    nvidiaRepo: plan.os.nvidiaRepo,
    devPackages: plan.devPackages.map(shellQuote),
    devOsPackages: debian ? ["ca-certificates", "build-essential", "git"] : ["gcc", "gcc-c++", "make", "git"],
    devCudaHome: plan.devPackages.length ? `/usr/local/cuda-${res.cuda}` : "",
  };
}

function gpuSelection(gpus: string): { gpuCount: string | number | null; gpuIds: string[]; reserveGpus: boolean } {
  if (gpus === "none") return { gpuCount: null, gpuIds: [], reserveGpus: false };
  if (gpus === "all") return { gpuCount: "all", gpuIds: [], reserveGpus: true };
  if (/^[0-9]+$/.test(gpus) && !gpus.includes(",")) return { gpuCount: Number(gpus), gpuIds: [], reserveGpus: true };
  return { gpuCount: null, gpuIds: gpus.split(","), reserveGpus: true };
}

export function composeView(res: Resolution, header: string) {
  const name = res.request.name;
  // The same folder the Dockerfile's cache mounts use, so packages installed by hand are cached too.
  return { header, name, devImage: `${name}:dev`, appImage: `${name}:runtime`, shmSize: SHM_SIZE, cacheDir: cacheDir(res), ...gpuSelection(res.request.gpus) };
}

export function devcontainerView(res: Resolution, header: string) {
  const { gpuCount, gpuIds, reserveGpus } = gpuSelection(res.request.gpus);
  const gpus = gpuCount !== null ? String(gpuCount) : `"device=${gpuIds.join(",")}"`;
  const shm = `--shm-size=${SHM_SIZE.replace("gb", "g")}`;
  // GPU-less mode (--gpus none): the container starts anywhere and uses a GPU when one is there.
  return { header, name: res.request.name, user: USER, gpuRequirement: reserveGpus ? true : "optional", runArgs: reserveGpus ? [`--gpus=${gpus}`, shm] : [shm] };
}

/** A supported nvidia/cuda base tag for the host script's final `docker run --gpus all … nvidia-smi`:
 * the stack's own CUDA minor when NVIDIA still supports it, else the oldest CUDA it supports
 * (driver floors rise with the CUDA version, so that one needs the oldest driver). */
export function verifyImage(res: Resolution, m: Matrix): string {
  let best: CudaImage | undefined;
  let oldest: CudaImage | undefined;
  const newer = (a: CudaImage, b: CudaImage | undefined) => !b || compare(a.cuda, b.cuda) > 0 || (compare(a.cuda, b.cuda) === 0 && a.os > b.os);
  const older = (a: CudaImage, b: CudaImage | undefined) => !b || compare(a.cuda, b.cuda) < 0 || (compare(a.cuda, b.cuda) === 0 && a.os > b.os);
  // Only supported tags: an end-of-life one may already be gone when the script runs.
  for (const i of m.images.images) {
    if (i.status !== "supported" || !i.flavors.includes("base") || !i.os.startsWith("ubuntu")) continue;
    if (majorMinor(i.cuda) === res.cuda && newer(i, best)) best = i;
    if (older(i, oldest)) oldest = i;
  }
  const row = best ?? oldest;
  return row ? `nvidia/cuda:${imageTag(row, "base")}` : res.image;
}

export function bootstrapView(res: Resolution, m: Matrix, header: string) {
  return {
    header,
    minDriverSh: shellWord(res.minDriver),
    stackSh: shellWord(stackSummary(res)),
    stackCudaSh: shellWord(res.cuda),
    verifyImageSh: shellWord(verifyImage(res, m)),
    stackImageSh: shellWord(res.image),
    containerToolkitVersionSh: shellWord(tool(m, "containerToolkitVersion")),
    dockerRepoUrlSh: shellWord(tool(m, "dockerRepoUrl")),
    dockerKeyFingerprintSh: shellWord(tool(m, "dockerKeyFingerprint")),
    toolkitRepoUrlSh: shellWord(tool(m, "containerToolkitRepoUrl")),
    toolkitKeyFingerprintSh: shellWord(tool(m, "containerToolkitKeyFingerprint")),
    cudaRepoBaseSh: shellWord(tool(m, "cudaRepoBase")),
  };
}
