// Which upstream documents describe each framework, derived from the curated rows so that a new
// index the matrix already uses is read without editing this file. Pure: no I/O.
import { compareDotted, cuTag, isFinal } from "./versions.mjs";

/** Per framework: the PyPI project whose versions are the framework's releases, the projects whose
 *  wheels say which Pythons and platforms a release has, projects read only to check pins, JAX's CUDA
 *  plugin projects (one per CUDA major), and the per-CUDA index family the framework publishes. */
export const FRAMEWORK_PLANS = Object.freeze({
  torch: {
    releaseProject: "torch",
    wheelProjects: ["torch"],
    pinProjects: [],
    pluginProjects: {},
    cudaIndex: { package: "torch", url: (cuda) => `https://download.pytorch.org/whl/${cuTag(cuda)}` },
  },
  tensorflow: { releaseProject: "tensorflow", wheelProjects: ["tensorflow"], pinProjects: ["tensorflow-gpu"], pluginProjects: {}, cudaIndex: null },
  jax: {
    releaseProject: "jax",
    wheelProjects: ["jaxlib"],
    pinProjects: [],
    pluginProjects: { "jax-cuda12-plugin": "12", "jax-cuda13-plugin": "13" },
    cudaIndex: null,
  },
  paddle: {
    releaseProject: "paddlepaddle-gpu",
    wheelProjects: ["paddlepaddle-gpu"],
    pinProjects: [],
    pluginProjects: {},
    cudaIndex: { package: "paddlepaddle-gpu", url: (cuda) => `https://www.paddlepaddle.org.cn/packages/stable/${cuTag(cuda)}/` },
  },
});

export const RECENT_RELEASES = 2; // releases whose build set is compared with the indexes
export const NEWER_CUDA_PROBES = 2; // CUDA minors past the newest in use whose index is probed
export const MAX_NEW_RELEASES = 5; // new releases read in detail per framework

export function simpleUrl(project) {
  return `https://pypi.org/simple/${project}/`;
}

/** The project page of `pkg` under a pip index URL ("…/whl/cu130" → "…/whl/cu130/torch/"). */
export function indexPage(indexUrl, pkg) {
  return `${indexUrl.replace(/\/+$/, "")}/${pkg}/`;
}

export function releasesByVersion(fw) {
  return [...fw.releases].sort((a, b) => compareDotted(a.version, b.version));
}

/** The matrix's newest releases, newest last. */
export function recentReleases(fw, count = RECENT_RELEASES) {
  return releasesByVersion(fw).slice(-count);
}

/**
 * Per-CUDA index pages to read for a framework: every page a curated build installs from (so each
 * pinned build can be checked) plus pages for CUDA minors newer than any the recent releases use
 * (so a new backend shows up the day it is published).
 * @param {string[]} knownCudaMinors CUDA major.minor versions known from cuda.yaml and NVIDIA's manifests
 * @returns {{ cuda: string, indexUrl: string, page: string, probe: boolean }[]}
 */
export function planCudaIndexes(name, fw, knownCudaMinors) {
  const plan = FRAMEWORK_PLANS[name];
  if (!plan?.cudaIndex) return [];
  const { package: pkg, url } = plan.cudaIndex;
  const family = url("0.0").replace(/cu00\/?$/, "");
  const pages = new Map();
  for (const release of fw.releases) {
    for (const build of release.builds) {
      if (build.indexUrl?.startsWith(family)) pages.set(indexPage(build.indexUrl, pkg), { cuda: build.cuda, indexUrl: build.indexUrl, probe: false });
    }
  }
  const used = recentReleases(fw).flatMap((r) => r.builds.filter((b) => b.indexUrl?.startsWith(family)).map((b) => b.cuda));
  const top = used.sort(compareDotted).at(-1);
  if (top) {
    for (const minor of knownCudaMinors.filter((m) => compareDotted(m, top) > 0).slice(0, NEWER_CUDA_PROBES)) {
      const indexUrl = url(minor);
      const page = indexPage(indexUrl, pkg);
      if (!pages.has(page)) pages.set(page, { cuda: minor, indexUrl, probe: true });
    }
  }
  return [...pages].map(([page, v]) => ({ page, ...v })).sort((a, b) => compareDotted(a.cuda, b.cuda));
}

/** Find-links pages the curated builds install from (JAX's and Paddle's legacy wheel lists). */
export function planFindLinks(fw) {
  return [...new Set(fw.releases.flatMap((r) => r.builds.map((b) => b.findLinks).filter(Boolean)))].sort();
}

/** Versions PyPI lists past the newest curated release, oldest first, at most MAX_NEW_RELEASES. */
export function newReleaseVersions(fw, upstreamVersions) {
  const top = releasesByVersion(fw).at(-1)?.version ?? "0";
  return upstreamVersions.filter((v) => isFinal(v) && compareDotted(v, top) > 0).sort(compareDotted).slice(0, MAX_NEW_RELEASES);
}
