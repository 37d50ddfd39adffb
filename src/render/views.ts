// Resolution -> the flat views the templates read. All choices and all encoding happen here;
// templates only place values (`if` and `each`, no version logic).
import type { Matrix } from "../matrix/data.js";
import { driverFloor, fillTool, imageTag, pythonRelease, tool } from "../matrix/lookup.js";
import { compare, major, majorMinor, newestFirst } from "../matrix/versions.js";
import type { Build, Resolution } from "../resolve/types.js";
import type { CudaImage, PipPackage } from "../matrix/types.gen.js";
import { commentText, shellQuote, shellWord } from "./quote.js";
import { REQUIREMENTS_EOF, safeLine, type ProjectRecord } from "../project/record.js";
import { buildsFromSource, normalizeName } from "../project/pep508.js";
import { composeBuildArgs, cudaRepoArch, devcontainerBuildArgs, dockerfileSources, hostSources } from "../mirrors/sources-view.js";
import { imageHasArm64 } from "../resolve/platform.js";
import { switchable, type MirrorSet } from "../mirrors/mirror-set.js";
import { installOf, leftOutText, wheelUrl, type Install } from "../resolve/install.js";
import { regenerateCommand } from "./header.js";

export const USER = "dev";
const SHM_SIZE = "8gb";

function pin(p: { name: string; version: string; extras?: string[] }, withExtras: boolean): string {
  const extras = withExtras && p.extras?.length ? `[${p.extras.join(",")}]` : "";
  return `${p.name}${extras}==${p.version}`;
}

/**
 * One requirement of the install command, shell-quoted: name==version, or for a package published
 * only as a wheel file, `name @ URL` with the URL's host through its build argument (double quotes,
 * so the shell expands it).
 */
function requirementWord(p: PipPackage, python: string, m: Matrix, ms: MirrorSet): string {
  const url = wheelUrl(p, python);
  if (!url) return shellQuote(pin(p, true));
  const s = switchable(m, ms, url);
  return s.arg ? `"${p.name} @ ${s.dockerfile}"` : shellQuote(`${p.name} @ ${url}`);
}

/** Comment text wrapped at word boundaries to lines of at most `width` characters (a long word stays whole). */
function wrap(text: string, width = 96): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/** Wraps at a separator (the Stack line's " · "), keeping it at the end of each line but the last. */
function wrapParts(text: string, separator: string, width = 96): string[] {
  const lines: string[] = [];
  let line = "";
  for (const part of text.split(separator)) {
    if (line && line.length + separator.length + part.length > width) {
      lines.push(`${line}${separator.trimEnd()}`);
      line = part;
    } else line = line ? `${line}${separator}${part}` : part;
  }
  return line ? [...lines, line] : lines;
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

/**
 * A build whose wheels carry no tag of their own (no +cuXY or .postNN) and are not the build the
 * package index serves: the package index has a different build under the very same version, so
 * the framework's index must be the only one, as the framework's own install command has it.
 */
function exclusiveIndex(b: Build, builds: Build[]): boolean {
  const main = b.packages[0]?.version ?? "";
  return builds.length === 1 && !!b.pip.indexUrl && !b.isDefault && !/\+|\.post[0-9]/.test(main);
}

/**
 * The framework wheels come from their own index, as an extra index beside the package index
 * (never replacing it), so everything else — numpy, typing-extensions, the nvidia-* wheels — comes
 * from the package index (or the mirror that replaces it), the same way for every framework and
 * era. uv otherwise takes a package only from the first index that has it; the best-match strategy
 * makes it weigh every index the way pip does.
 */
function pipArgs(builds: Build[], uv: boolean, m: Matrix, ms: MirrorSet): string {
  const args: string[] = [];
  // Each URL as its build argument's expansion ("${PYTORCH_WHEELS:-https://…}/cu124"); one no endpoint serves, quoted as is.
  const url = (u: string) => {
    const s = switchable(m, ms, u);
    return s.arg ? s.shell : shellQuote(u);
  };
  for (const b of builds.filter((x) => x.packages.length)) {
    if (exclusiveIndex(b, builds)) args.push("--index-url", url(b.pip.indexUrl!));
    else if (b.pip.indexUrl) args.push("--extra-index-url", url(b.pip.indexUrl));
    if (b.pip.extraIndexUrl) args.push("--extra-index-url", url(b.pip.extraIndexUrl));
    if (b.pip.findLinks) args.push("--find-links", url(b.pip.findLinks));
  }
  if (uv && args.includes("--extra-index-url")) args.push("--index-strategy", "unsafe-best-match");
  return args.length ? ` ${args.join(" ")}` : "";
}

function installWhy(b: Build, install: Install, all: Build[], m: Matrix, ms: MirrorSet, python: string): string[] {
  // The URL the build fetches by default: the public one, or the mirror chosen.
  const effective = (u: string | undefined) => (u === undefined ? undefined : switchable(m, ms, u).effective);
  const index = effective(b.pip.indexUrl ?? b.pip.extraIndexUrl);
  const findLinks = effective(b.pip.findLinks);
  const direct = b.packages.flatMap((p) => {
    const url = wheelUrl(p, python);
    return url ? [{ name: p.name, url: effective(url)! }] : [];
  });
  const lines = direct.length
    ? [`${b.label}: the CUDA ${b.cuda} build, ${direct.map((d) => `${d.name} from its wheel file ${d.url}`).join(", ")}:`, "no index or find-links page lists this CUDA build under a version of its own."]
    : index && exclusiveIndex(b, all)
    ? [`${b.label}: the CUDA ${b.cuda} build, from ${index} alone:`, "the package index has another CUDA build under the same version."]
    : index
      ? [`${b.label}: the CUDA ${b.cuda} build, from ${index},`, "added beside the package index, which serves every other package."]
      : findLinks
        ? [`${b.label}: the CUDA ${b.cuda} build, from the wheel links on ${findLinks}.`]
        : [`${b.label}: the CUDA ${b.cuda} build, from the package index.`];
  lines.push(
    b.bundlesCuda
      ? "Its wheels bring the CUDA runtime and cuDNN themselves; the image only needs the host's driver."
      : `It loads CUDA ${b.cuda}${b.cudnn ? ` and cuDNN ${majorMinor(b.cudnn)}${b.systemLibs?.cudnnFloor ? ` or a later ${major(b.cudnn)}.x` : ""}` : ""} from the image, which is why the base carries them.`,
  );
  const leftOut = install.leftOut;
  if (leftOut) lines.push(leftOutText(b, leftOut), `(${leftOut.source})`);
  return lines;
}

/** Our caps on companion packages, one requirement per package (specs of several builds joined). */
function capRequirements(builds: Build[]): { requirement: string; why: string[] }[] {
  const byPackage = new Map<string, { specs: string[]; why: string[] }>();
  for (const c of builds.flatMap((b) => b.caps)) {
    const entry = byPackage.get(c.package) ?? { specs: [], why: [] };
    for (const clause of c.spec.split(",").map((x) => x.trim())) if (!entry.specs.includes(clause)) entry.specs.push(clause);
    if (!entry.why.includes(c.why)) entry.why.push(c.why);
    byPackage.set(c.package, entry);
  }
  return [...byPackage].map(([name, e]) => ({ requirement: `${name}${e.specs.join(",")}`, why: e.why }));
}

/** What the Dockerfile needs to add NVIDIA's apt repository without breaking an image's own. */
function keyringView(res: Resolution, m: Matrix) {
  const { os } = res.plan;
  const contents = m.nvidiaPackages.images.find((i) => i.family === "deb");
  const file = os.cudaKeyring ?? "";
  const sum = m.nvidiaPackages.keyrings?.find((k) => k.repo === os.nvidiaRepo && k.file === file);
  return {
    keyringList: (contents?.sourcesList ?? "").replace("{REPO}", os.nvidiaRepo),
    keyringVersion: /^cuda-keyring_(.+)_all\.deb$/.exec(file)?.[1] ?? "",
    keyringSha256: sum?.sha256 ?? "",
    staleLists: contents?.staleLists ?? [],
  };
}

/**
 * The project's other requirements (read by src/project/), as here-document lines: those the image
 * installs from an index in the base stage, and those that build from source, which the dev stage
 * builds as wheels where nvcc is and the runtime installs; VCS lines need git in the image.
 */
function projectView(read: ProjectRecord | undefined, m: Matrix) {
  const lines = read?.install ?? [];
  const withFramework = new Set(m.companions.buildWithFramework.map((b) => normalizeName(b.package)));
  const fromSource = (l: string) => buildsFromSource(l, withFramework);
  const local = read?.local ?? [];
  if ([...lines, ...local].some((l) => !safeLine(l))) throw new Error("a project requirement line is not a single printable line");
  return {
    projectInstall: lines.filter((l) => !fromSource(l)),
    projectSources: lines.filter(fromSource),
    sourceBuildTools: m.companions.sourceBuildTools.packages.join(" "),
    projectLocal: local,
    projectFiles: commentText((read?.files ?? []).map((f) => f.path).join(", ")),
    projectEof: REQUIREMENTS_EOF,
    needsGit: lines.some((l) => /(^|[\s@])git\+/.test(l)),
  };
}

/**
 * linux/arm64: every stage is pinned to the platform (the wheels and the image variant were chosen
 * for it, so a build on an x86_64 machine must emulate rather than silently produce an amd64
 * image); NVIDIA's sbsa repository paths come from dockerfileSources.
 */
function platformView(res: Resolution): { fromPlatform: string; platformWhy: string[] } {
  if (res.request.platform !== "linux/arm64") return { fromPlatform: "", platformWhy: [] };
  return {
    fromPlatform: "--platform=linux/arm64 ",
    platformWhy: wrap("Built for linux/arm64 (Grace Hopper, Grace Blackwell, DGX Spark): the framework's aarch64 CUDA wheels and the image's arm64 variant were chosen for it, so every stage names the platform. On an x86_64 machine, build with QEMU emulation (docker buildx) or on an arm64 host."),
  };
}

/**
 * The compute capabilities CUDA extensions built in the dev stage target (matrix/platform.yaml
 * torchCudaArchList says why): `docker build` sees no GPU, and torch.utils.cpp_extension builds for
 * the GPUs it sees. Only capabilities the torch build itself was compiled for, and that the stage's
 * nvcc can target: with --gpu each GPU's own, or the nearest lower one with PTX; without, the
 * build's whole list with PTX on the newest. Null without a torch build or a known list.
 */
export function torchArchList(res: Resolution, m: Matrix): { name: string; value: string; why: string[] } | null {
  const torch = res.builds.find((b) => b.framework === "torch" && b.packages.length > 0);
  if (!torch) return null;
  const buildable = torch.arch.filter((a) => torch.cudaSm.includes(a)).sort(compare);
  const ptx = new Map<string, boolean>();
  if (res.targets.length > 0) {
    for (const t of res.targets) {
      if (buildable.includes(t.cc)) ptx.set(t.cc, ptx.get(t.cc) ?? false);
      else {
        const lower = buildable.filter((a) => compare(a, t.cc) < 0).at(-1);
        if (lower) ptx.set(lower, true);
      }
    }
  } else {
    for (const a of buildable) ptx.set(a, a === buildable.at(-1));
  }
  if (ptx.size === 0) return null;
  const value = [...ptx].sort(([a], [b]) => compare(a, b)).map(([a, withPtx]) => (withPtx ? `${a}+PTX` : a)).join(";");
  const what = res.targets.length > 0 ? `the GPUs of --gpu (${res.targets.map((t) => t.label).join(", ")})` : `every capability ${torch.label} was built for, PTX on the newest for later GPUs`;
  return {
    name: tool(m, "torchCudaArchList"),
    value,
    why: wrap(`CUDA extensions built here (torch.utils.cpp_extension: pip install of flash-attn, apex, a project's own kernels) target ${what}: \`docker build\` sees no GPU to take them from. Set ${tool(m, "torchCudaArchList")} in the shell that builds to change it.`),
  };
}

/**
 * The bare library names (libcublas.so, libcudnn.so) that a framework's own loader dlopens and that
 * only NVIDIA's -dev packages ship (matrix/library-compat.yaml unversionedNames): the base stage
 * links each to the versioned library the image has, in its folder, as the -dev package would.
 * Null when no build of the stack asks for such a name.
 */
export function unversionedLinks(res: Resolution): { names: string[]; why: string[] } | null {
  const builds = res.builds.filter((b) => b.unversionedNames);
  const names = [...new Set(builds.flatMap((b) => b.unversionedNames!.names))];
  if (names.length === 0) return null;
  const source = builds[0]!.unversionedNames!.sources[0];
  const who = builds.map((b) => b.label).join(" and ");
  return {
    names: names.map(shellQuote),
    why: wrap(
      `${who} ${builds.length > 1 ? "load" : "loads"} CUDA libraries by their bare names (${names.slice(0, 2).join(", ")}, ...), which only NVIDIA's -dev packages ship; its runtime images and packages carry the versioned names (libcublas.so.N, libcudnn.so.N) alone. ` +
        "Each name is linked, in its own folder, to the versioned library this image has, as the -dev package would, and ldconfig records the links; " +
        `a name whose library the image lacks is reported and skipped (matrix/library-compat.yaml unversionedNames${source ? `; ${source}` : ""}).`,
    ).map(commentText),
  };
}

/**
 * The comment over the base stage's install when it adds CUDA's ptxas and libdevice for builds that
 * compile GPU code when the program runs (matrix/library-compat.yaml runtimeCompiler), and, on a
 * plain OS image, the /usr/local/cuda link and PATH entry that NVIDIA's images set and XLA searches.
 */
function compilerView(res: Resolution) {
  const compiler = res.plan.compiler;
  if (!compiler) return { compilerWhy: [] as string[], compilerLink: "" };
  const why = compiler.why.join("; ");
  const text =
    `${compiler.labels.join(" and ")}: ${why}, which assembles the code with CUDA's ptxas and links CUDA's libdevice. ` +
    `NVIDIA's runtime images and packages have neither, so ${compiler.packages.join(" ")} (nvcc's package, which brings both) is installed here; ` +
    `without it the first computation on the GPU fails ("Failed to launch ptxas") (matrix/library-compat.yaml runtimeCompiler; ${compiler.sources[0]}).`;
  const plain = res.plan.base.kind === "os";
  return {
    compilerWhy: [...wrap(text), ...(plain ? wrap(`XLA finds ptxas on PATH and libdevice under /usr/local/cuda, which NVIDIA's images set up and this plain image gets below.`) : [])].map(commentText),
    compilerLink: plain ? `cuda-${res.cuda}` : "",
  };
}

/**
 * The C compiler of the base stage, for builds that compile host code when the program runs
 * (matrix/library-compat.yaml hostCompiler: Triton under torch.compile), with the comment over the
 * install; none where no build does.
 */
function hostCompilerView(res: Resolution, m: Matrix): { packages: string[]; why: string[] } {
  const builds = res.builds.filter((b) => b.hostCompiler);
  if (builds.length === 0) return { packages: [], why: [] };
  const packages = tool(m, res.plan.os.family === "debian" ? "hostCompilerDebPackages" : "hostCompilerRpmPackages").split(" ");
  const list = packages.length > 1 ? `${packages.slice(0, -1).join(", ")} and ${packages.at(-1)}` : packages[0]!;
  const text =
    `${builds.map((b) => b.label).join(" and ")}: ${[...new Set(builds.map((b) => b.hostCompiler!.why))].join("; ")}, ` +
    `so ${list} ${packages.length > 1 ? "are" : "is"} installed here (PyTorch's own CUDA runtime images now install gcc for this); without them the first compiled call fails ("Failed to find C compiler", or "No working C++ compiler found" on the CPU) ` +
    `(matrix/library-compat.yaml hostCompiler; ${builds[0]!.hostCompiler!.sources[0]}).`;
  return { packages, why: wrap(text).map(commentText) };
}

export function dockerfileView(res: Resolution, m: Matrix, header: string) {
  const { plan } = res;
  const debian = plan.os.family === "debian";
  const platform = platformView(res);
  const sources = dockerfileSources(res, m);
  const { ms } = sources;
  const frameworks = res.builds.filter((b) => b.packages.length);
  const has = (name: string) => res.builds.some((b) => b.framework === name);
  const system = plan.python.source === "system";
  const project = projectView(res.request.project.read, m);
  const cc = hostCompilerView(res, m);
  const basePackages = ["ca-certificates", ...(system ? (debian ? ["python3", "python3-venv"] : ["python3"]) : []), ...(project.needsGit ? ["git"] : []), ...cc.packages];
  const pipSpec = pythonRelease(m, plan.python.version)?.pip;
  const caps = capRequirements(frameworks);
  const installs = frameworks.map((b) => installOf(b, plan.python.version));
  return {
    ...sources,
    fromPlatform: platform.fromPlatform,
    platformWhy: platform.platformWhy,
    header,
    stackLines: wrapParts(`Stack: ${stackSummary(res)}`, " · "),
    user: USER,
    baseWhy: wrap(plan.base.why),
    debian,
    setNvidiaEnv: plan.base.kind === "os",
    basePackages,
    baseNvidiaPackages: [...new Set([...plan.base.packages, ...(plan.compiler?.packages ?? [])])].map(shellQuote),
    ...compilerView(res),
    hostCompilerWhy: cc.why,
    baseDownloads: sources.downloads,
    unversionedLinks: unversionedLinks(res),
    ...keyringView(res, m),
    // The sbsa cuda-keyring package names the sbsa repository, so it is not the file whose SHA-256 the data records.
    ...(platform.fromPlatform ? { keyringSha256: "" } : {}),
    uvPython: plan.python.source === "uv",
    python: plan.python.version,
    pythonArg: `/usr/bin/python${plan.python.version}`,
    cacheDir: cacheDir(res),
    installer: system ? "pip install" : "uv pip install",
    pipUpgrade: shellQuote(pipSpec ? `pip${pipSpec}` : "pip"),
    os: plan.os.name,
    frameworkInstall: frameworks.length > 0,
    installWhy: [...frameworks.flatMap((b, i) => installWhy(b, installs[i]!, frameworks, m, ms, plan.python.version)), ...caps.flatMap((c) => c.why.map((w) => `${c.requirement}: ${w}`))].flatMap((l) => wrap(l)),
    pipArgs: pipArgs(frameworks, !system, m, ms),
    // Where an extra cannot be installed, its nvidia-* wheels are pinned by name, and held by the constraints like the framework.
    pinLines: continued([...installs.flatMap((i) => [...i.packages.map((p) => requirementWord(p, plan.python.version, m, ms)), ...i.wheels.map(shellQuote)]), ...caps.map((c) => shellQuote(c.requirement))]),
    constraints: [...installs.flatMap((i) => [...i.packages.map((p) => pin(p, false)), ...i.wheels]), ...caps.map((c) => c.requirement)],
    requirementsTxt: res.request.project.requirements && !res.request.project.read,
    pyprojectToml: res.request.project.pyproject && !res.request.project.read,
    ...project,
    checkTorch: has("torch"),
    checkTensorflow: has("tensorflow"),
    // TensorFlow builds that compile with XLA on the GPU (matrix/library-compat.yaml runtimeCompiler) check that XLA can.
    checkTensorflowXla: res.builds.some((b) => b.framework === "tensorflow" && b.runtimeCompiler),
    checkJax: has("jax"),
    checkPaddle: has("paddle"),
    checkCuda: has("cuda"),
    // --gpus none: the container is meant to run without a GPU, so gpu-check reports CPU mode and exits 0.
    gpuOptional: res.request.gpus === "none",
    cudaMajor: String(major(res.cuda)),
    cuda: res.cuda,
    nvidiaRepo: plan.os.nvidiaRepo,
    devPackages: plan.devPackages.map(shellQuote),
    devOsPackages: debian ? ["ca-certificates", "build-essential", "git"] : ["gcc", "gcc-c++", "make", "git"],
    devCudaHome: plan.devPackages.length ? `/usr/local/cuda-${res.cuda}` : "",
    torchArch: torchArchList(res, m),
  };
}

function gpuSelection(gpus: string): { gpuCount: string | number | null; gpuIds: string[]; reserveGpus: boolean } {
  if (gpus === "none") return { gpuCount: null, gpuIds: [], reserveGpus: false };
  if (gpus === "all") return { gpuCount: "all", gpuIds: [], reserveGpus: true };
  if (/^[1-9][0-9]*$/.test(gpus)) return { gpuCount: Number(gpus), gpuIds: [], reserveGpus: true };
  return { gpuCount: null, gpuIds: gpus.split(","), reserveGpus: true };
}

/**
 * Podman: the CDI device names (`nvidia.com/gpu=all`, `nvidia.com/gpu=0`, …) that `nvidia-ctk cdi
 * generate` writes to /etc/cdi/nvidia.yaml; a count N is devices 0…N-1 (as podman-compose maps a
 * count). Empty for --gpus none.
 */
export function cdiDevices(gpus: string): string[] {
  const { gpuCount, gpuIds, reserveGpus } = gpuSelection(gpus);
  if (!reserveGpus) return [];
  if (gpuCount === "all") return ["nvidia.com/gpu=all"];
  if (typeof gpuCount === "number") return Array.from({ length: gpuCount }, (_, i) => `nvidia.com/gpu=${i}`);
  return gpuIds.map((id) => `nvidia.com/gpu=${id}`);
}

export function composeView(res: Resolution, header: string, m: Matrix) {
  const name = res.request.name;
  const podman = res.request.engine === "podman";
  // The same folder the Dockerfile's cache mounts use, so packages installed by hand are cached too.
  return {
    header, name, devImage: `${name}:dev`, devCpuImage: `${name}:dev-cpu`, appImage: `${name}:runtime`, shmSize: SHM_SIZE, cacheDir: cacheDir(res), buildArgs: composeBuildArgs(res, m), ...gpuSelection(res.request.gpus),
    podman, cdiDevices: podman ? cdiDevices(res.request.gpus) : [], ...podmanMounts(m, podman, name),
  };
}

/** The images' user, as the compose files' build arguments set it (templates/partials/compose-build-args.hbs). */
const COMPOSE_USER_IDS = { UID: "${USER_UID:-1000}", GID: "${USER_GID:-1000}" };

/**
 * Podman only: the project folder's bind mount relabelled for SELinux, and a user namespace in which
 * the host user is the images' user (matrix/platform.yaml podmanBindRelabel, podmanUsernsMode and the
 * version rows). Docker's files keep neither: dockerd labels no container unless --selinux-enabled,
 * and maps no user ids unless userns-remap.
 */
function podmanMounts(m: Matrix, podman: boolean, project: string) {
  if (!podman) return { bindOption: "", usernsMode: null, podmanMountWhy: [] as string[] };
  const relabel = tool(m, "podmanBindRelabel");
  const v = (key: string) => tool(m, key);
  const why = wrap(
    `The project folder is mounted with :${relabel}, so that Podman relabels it for containers under enforcing SELinux: ` +
      `a shared label, as dev, app and dev-cpu use it at once (:${relabel.toUpperCase()} would give each container its own and shut the ` +
      "others out); keep the project out of system folders, whose labels confined services need. " +
      "userns_mode makes you the images' user dev (USER_UID, USER_GID) in the container: under rootless Podman " +
      "the files dev writes are yours whatever your UID; run as root, dev is host UID USER_UID, as with Docker. " +
      `It needs Podman ${v("podmanKeepIdOptionsSince")} or later (${v("podmanKeepIdRootfulSince")} as root) and podman-compose ${v("podmanComposeUsernsModeSince")} or later ` +
      "(with an older one, set PODMAN_USERNS to the userns_mode value for `podman-compose up`). " +
      `x-podman in_pod: false keeps podman-compose ${v("podmanComposeInPodKeySince")} and later from making a pod, where Podman refuses --userns; ` +
      `podman-compose ${v("podmanComposePodDefaultSince")} makes one and reads no such key: run \`podman-compose --in-pod= up\` there. ` +
      "Containers started from an earlier file without userns_mode made the package cache as a subordinate id, which dev cannot write now: " +
      "remove that volume once (it only holds downloads):",
  );
  why.push(`  podman volume rm ${project}_package-cache`);
  return { bindOption: `:${relabel}`, usernsMode: fillTool(m, "podmanUsernsMode", COMPOSE_USER_IDS), podmanMountWhy: why };
}

/**
 * The Dev Containers CLI adds `--gpus all` itself whenever `hostRequirements.gpu` is truthy
 * ("optional" included) and Docker reports the nvidia runtime, and a second device request makes
 * the later `all` win. So exactly one of the two asks for GPUs: hostRequirements for all GPUs (the
 * CLI then also starts without GPUs where the host has none), runArgs for a count or device ids.
 */
export function devcontainerView(res: Resolution, header: string, m: Matrix) {
  const { gpuCount, gpuIds, reserveGpus } = gpuSelection(res.request.gpus);
  const shm = `--shm-size=${SHM_SIZE.replace("gb", "g")}`;
  const base = { header, name: res.request.name, user: USER, buildArgs: devcontainerBuildArgs(res, m) };
  if (!reserveGpus) {
    return {
      ...base,
      hostGpu: false,
      runArgs: [shm],
      gpuComment: ["No GPU is attached, even on a host that has one (generated with --gpus none); shared", "memory sized for data loaders."],
      postCreateWhy: "Reports CPU mode when no GPU is visible (generated with --gpus none) and exits 0.",
    };
  }
  if (res.request.engine === "podman") {
    // Podman reads GPUs as CDI devices; the CLI's `--gpus all` (from hostRequirements.gpu) is not
    // the CDI path, so there is no hostRequirements.gpu and runArgs ask once, by CDI name.
    return {
      ...base,
      hostGpu: false,
      runArgs: [...cdiDevices(res.request.gpus).flatMap((d) => ["--device", d]), shm],
      gpuComment: [
        `The GPUs asked for (${res.request.gpus}) as CDI devices, which Podman reads from /etc/cdi/nvidia.yaml`,
        "(nvidia-ctk cdi generate); no hostRequirements.gpu, whose --gpus all Podman's CDI path does not use.",
        "Shared memory sized for data loaders. Point VS Code at Podman with dev.containers.dockerPath: podman.",
        ...wrap(`On Podman the CLI itself adds ${tool(m, "devcontainersCliPodmanArgs")}: SELinux separation is off for this container (so the workspace needs no relabel), and dev is you in rootless Podman.`, 100),
      ],
      postCreateWhy: "Fails the container's creation log loudly when the GPU is not visible.",
    };
  }
  const gpuArg = gpuCount === "all" ? null : gpuCount !== null ? `--gpus=${gpuCount}` : `--gpus="device=${gpuIds.join(",")}"`;
  return {
    ...base,
    hostGpu: gpuArg === null,
    runArgs: gpuArg ? [gpuArg, shm] : [shm],
    gpuComment: gpuArg
      ? [`The GPUs asked for (${res.request.gpus}), requested once: no hostRequirements.gpu, which would make`, "the CLI add --gpus all as well. Shared memory sized for data loaders."]
      : ["All GPUs: hostRequirements.gpu makes the CLI add --gpus all where Docker has the NVIDIA", "runtime. Shared memory sized for data loaders."],
    postCreateWhy: "Fails the container's creation log loudly when the GPU is not visible.",
  };
}

/**
 * The image of the host script's final `docker run --gpus all … nvidia-smi`. It must never ask
 * for a newer driver than the stack does: nvidia/cuda images carry NVIDIA_REQUIRE_CUDA, which the
 * toolkit enforces. So: the stack's own CUDA minor on a supported Ubuntu base tag; else the newest
 * supported CUDA whose driver floor the stack's floor meets; else a plain Ubuntu image (NVIDIA's
 * own sample workload is `docker run --gpus all ubuntu nvidia-smi`), which asks for no CUDA at all.
 * Only supported tags: an end-of-life one may already be gone when the script runs.
 */
export function verifyImage(res: Resolution, m: Matrix): string {
  const arm64 = res.request.platform === "linux/arm64";
  // On linux/arm64 only tags with an arm64 variant (matrix/arm64.yaml images); the plain Ubuntu images are multi-arch.
  const rows = m.images.images.filter((i) => i.status === "supported" && i.flavors.includes("base") && i.os.startsWith("ubuntu") && (!arm64 || imageHasArm64(m, i.cuda, i.os)));
  // Each CUDA release's driver floor is looked up once (the rows repeat a release once per OS).
  const floors = new Map<string, boolean>();
  const fits = (i: CudaImage) => {
    let fit = floors.get(i.cuda);
    if (fit === undefined) floors.set(i.cuda, (fit = compare(driverFloor(m, i.cuda) ?? "999", res.minDriver) <= 0));
    return fit;
  };
  const best = (list: CudaImage[]) => [...list].sort((a, b) => compare(b.cuda, a.cuda) || b.os.localeCompare(a.os))[0];
  const row = best(rows.filter((i) => majorMinor(i.cuda) === res.cuda && fits(i))) ?? best(rows.filter(fits));
  if (row) return `nvidia/cuda:${imageTag(row, "base")}`;
  if (res.plan.os.family === "debian") return res.plan.os.image;
  return [...m.platform.os].filter((o) => o.family === "debian").sort((a, b) => newestFirst(a.name.replace(/^\D+/, ""), b.name.replace(/^\D+/, "")))[0]!.image;
}

/**
 * Podman resolves a short image name through registries.conf, and RHEL-family hosts set
 * short-name-mode = "enforcing", which refuses an ambiguous short name without a terminal
 * (containers-registries.conf(5): https://github.com/containers/image/blob/main/docs/containers-registries.conf.5.md).
 * So the Podman script names Docker Hub images in full, as Docker itself reads them.
 */
export function fullyQualified(image: string): string {
  const first = image.split("/")[0]!;
  if (image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost")) return image;
  return `docker.io/${image.includes("/") ? "" : "library/"}${image}`;
}

/** The elements of a bash array, each single-quoted, on lines of at most ARRAY_LINE characters (continuations indented). */
const ARRAY_LINE = 72;
function shellArray(words: string[]): string {
  return arrayLines(words.map(shellWord));
}

/** Bash array elements written already (quoted words, `[key]=value` pairs), wrapped as shellArray does. */
function arrayLines(elements: string[]): string {
  const lines: string[] = [];
  let line = "";
  for (const word of elements) {
    if (line && line.length + 1 + word.length > ARRAY_LINE) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join("\n  ");
}

/** A data row whose value is a space-separated list (package names, machines), as a bash array's elements. */
const toolArray = (m: Matrix, key: string): string => shellArray(tool(m, key).split(" "));

/** Header values that are one tools row each (view key: row), written as a quoted shell word. */
const TOOL_WORDS = {
  openModulesSinceSh: "openKernelModulesSince",
  openModulesOnlySinceSh: "openKernelModulesOnlySince",
  openModulesDefaultSinceSh: "openKernelModulesDefaultSince",
  driverModuleInstallThroughSh: "driverModuleInstallThrough",
  longTermBranchSh: "longTermDriverBranch",
  dkmsBuildEnvironmentSinceSh: "dkmsBuildEnvironmentSince",
  dnfModuleSwitchToSinceSh: "dnfModuleSwitchToSince",
  wslKernelMarkerSh: "wslKernelMarker",
  wsl1KernelSuffixSh: "wsl1KernelSuffix",
  wslLibDirSh: "wslLibDir",
  wslDriverSinceSh: "wslDriverSince",
  wslSystemdSinceSh: "wslSystemdSince",
  wslDockerDesktopSh: "wslDockerDesktopPlatform",
  nvswitchPciClassSh: "nvswitchPciClass",
  fabricManagerPackageSh: "fabricManagerPackage",
  fabricManagerPackageBeforeSh: "fabricManagerPackageBefore",
  fabricManagerRenamedSinceSh: "fabricManagerRenamedSince",
  fabricManagerServiceSh: "fabricManagerService",
  fabricStateReadySh: "fabricStateReady",
  ulnSystemIdSh: "ulnSystemId",
  ulnDnfPluginSh: "ulnDnfPlugin",
  ulnChannelLabelSh: "ulnChannelLabel",
  ulnSubscribeSh: "ulnSubscribe",
  ulnWebSubscriptionsSh: "ulnWebSubscriptions",
} as const;

function toolWords(m: Matrix): Record<keyof typeof TOOL_WORDS, string> {
  return Object.fromEntries(Object.entries(TOOL_WORDS).map(([view, row]) => [view, shellWord(tool(m, row))])) as Record<keyof typeof TOOL_WORDS, string>;
}

/**
 * The package lists and version limits both host scripts check against (matrix/platform.yaml's
 * tools rows and uekRepositories): Docker CE's packages and what conflicts with them, the
 * toolkit's packages, the driver branches with open, with open by default and with only open
 * kernel modules, the last branch installed with `dnf module install`, the long-term branch the
 * script names, the DKMS release that reads build_environment, the dnf release that added
 * `dnf module switch-to`, the facts that mark and serve WSL 2, the Oracle Linux repository of
 * each UEK release on the stack's machine (`arm64`: aarch64, where UEK R6 has none of its own), and
 * the kernel modules each GPU chip family needs.
 */
function hostFactValues(m: Matrix, arm64: boolean) {
  return {
    dockerPackagesSh: toolArray(m, "dockerPackages"),
    dockerConflictsSh: shellArray([...tool(m, "dockerConflicts").split(" "), ...tool(m, "dockerConflictsOracleLinux").split(" ")]),
    toolkitPackagesSh: toolArray(m, "containerToolkitPackages"),
    nvswitchDeviceIdsSh: toolArray(m, "nvswitchDeviceIds"),
    ...toolWords(m),
    uekReposSh: m.platform.uekRepositories.map((r) => `[${shellWord(r.kernel)}]=${shellWord((arm64 && r.aarch64Repo) || r.repo)}`).join(" "),
    chipModulesSh: arrayLines(m.platform.gpuChipFamilies.map((r) => `[${shellWord(r.prefix)}]=${shellWord(r.kernelModules)}`)),
    chipArchitecturesSh: arrayLines(m.platform.gpuChipFamilies.map((r) => `[${shellWord(r.prefix)}]=${shellWord(r.architecture)}`)),
    proprietaryOnlyArchitecturesSh: shellWord([...new Set(m.platform.gpuChipFamilies.filter((r) => r.kernelModules === "proprietary").map((r) => r.architecture))].join(", ")),
    chipLastBranchesSh: arrayLines(m.platform.gpuChipFamilies.filter((r) => r.lastDriverBranch).map((r) => `[${shellWord(r.prefix)}]=${shellWord(r.lastDriverBranch!)}`)),
  };
}

/**
 * For each last driver branch of a GPU chip family (matrix/platform.yaml lastDriverBranch): the
 * newest CUDA toolkit whose first release that branch runs (matrix/cuda.yaml driver floors), and
 * the command that regenerates the stack for a driver of that branch (`--driver <branch>`), which
 * the host script names when the stack needs a newer driver than the host's GPUs can have.
 */
function driverCapValues(res: Resolution, m: Matrix, toolVersion: string) {
  const branches = [...new Set(m.platform.gpuChipFamilies.map((r) => r.lastDriverBranch).filter((b): b is string => !!b))].sort(compare);
  // Each toolkit's floor once, not once per branch.
  const floors = m.cuda.toolkits.map((t) => ({ version: t.version, floor: driverFloor(m, t.version) }));
  const newestCuda = (branch: string): string => {
    const fits = floors.filter(({ floor }) => floor !== undefined && major(floor) <= Number(branch));
    return fits.map((t) => t.version).sort(newestFirst)[0] ?? "";
  };
  return {
    branchNewestCudaSh: arrayLines(branches.map((b) => `[${shellWord(b)}]=${shellWord(newestCuda(b))}`)),
    branchRegenerateSh: arrayLines(branches.map((b) => `[${shellWord(b)}]=${shellWord(regenerateCommand({ ...res.request, driver: b }, toolVersion))}`)),
  };
}

/** The values only the Podman script reads (matrix/platform.yaml's podman and CDI rows). */
function podmanValues(m: Matrix) {
  return {
    podmanPackagesSh: toolArray(m, "podmanPackages"),
    composePackageSh: shellWord(tool(m, "podmanComposePackage")),
    cdiRefreshSinceSh: shellWord(tool(m, "cdiRefreshSince")),
    selinuxBooleanSh: shellWord(tool(m, "selinuxDeviceBoolean")),
    selinuxGpuBooleanSh: shellWord(tool(m, "selinuxGpuBoolean")),
    podmanSinceSh: shellWord(tool(m, "podmanKeepIdRootfulSince")),
    composeSinceSh: shellWord(tool(m, "podmanComposeUsernsModeSince")),
    composePodSinceSh: shellWord(tool(m, "podmanComposePodDefaultSince")),
    composeInPodKeySinceSh: shellWord(tool(m, "podmanComposeInPodKeySince")),
  };
}

/**
 * The machine the stack runs on, as `uname -m` names it (the kernel's names for linux/amd64 and
 * linux/arm64), with NVIDIA's repository folder for it (x86_64 or sbsa, matrix/arm64.yaml) and what
 * the host script supports (matrix/platform.yaml hostArchitectures, hostPageSize).
 */
function hostPlatformValues(res: Resolution, m: Matrix) {
  const arm64 = res.request.platform === "linux/arm64";
  return {
    stackPlatformSh: shellWord(arm64 ? "linux/arm64" : "linux/amd64"),
    stackArchSh: shellWord(arm64 ? "aarch64" : "x86_64"),
    cudaRepoArchSh: shellWord(cudaRepoArch(res, m)),
    hostArchesSh: toolArray(m, "hostArchitectures"),
    driverPageSizeSh: shellWord(tool(m, "hostPageSize")),
  };
}

export function bootstrapView(res: Resolution, m: Matrix, header: string, toolVersion: string) {
  const podman = res.request.engine === "podman";
  const image = verifyImage(res, m);
  return {
    header,
    podman,
    ...(podman ? podmanValues(m) : {}),
    ...hostPlatformValues(res, m),
    ...hostFactValues(m, res.request.platform === "linux/arm64"),
    ...driverCapValues(res, m, toolVersion),
    minDriverSh: shellWord(res.minDriver),
    stackSh: shellWord(stackSummary(res)),
    stackCudaSh: shellWord(res.cuda),
    verifyImageSh: shellWord(podman ? fullyQualified(image) : image),
    stackImageSh: shellWord(res.image),
    containerToolkitVersionSh: shellWord(tool(m, "containerToolkitVersion")),
    ...hostSources(res, m),
    dockerKeyFingerprintSh: shellWord(tool(m, "dockerKeyFingerprint")),
    toolkitKeyFingerprintSh: shellWord(tool(m, "containerToolkitKeyFingerprint")),
    cudaRepoKeyFingerprintSh: shellWord(tool(m, "cudaRpmKeyFingerprint")),
  };
}
