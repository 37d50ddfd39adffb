// Compares what upstream says about a framework with its curated file. Pure: data in, findings out.
import { cudaOfRequirements, linuxRequirements } from "./pypi-json.mjs";
import { isLinuxPlatform, normalizeName } from "./wheel-filename.mjs";
import { FRAMEWORK_PLANS, indexPage, newReleaseVersions, recentReleases, simpleUrl } from "./framework-sources.mjs";
import { compareDotted, cuTag, sortPythons } from "./versions.mjs";

const list = (xs) => (xs.length ? xs.join(", ") : "none");

/** Whether a recorded page speaks fully for a version: a recording may declare (meta.subset.versions)
 *  the only versions whose files it lists completely; live pages always do. */
function inSubset(page, publicVersion) {
  const versions = page?.subset?.versions;
  return !Array.isArray(versions) || versions.includes(publicVersion);
}

/** Every wheel upstream shows for a release, with the CUDA variant it belongs to (null = PyPI's). */
function wheelsOfRelease(up, version) {
  const out = [];
  const plan = FRAMEWORK_PLANS[up.framework];
  for (const p of plan.wheelProjects) {
    const simple = up.simple[p];
    for (const w of simple?.wheels ?? []) if (w.publicVersion === version) out.push({ ...w, variant: null, complete: inSubset(simple, version) });
  }
  for (const page of up.indexes) {
    for (const w of page.wheels) {
      if (w.publicVersion === version && w.name === normalizeName(plan.cudaIndex.package)) out.push({ ...w, variant: w.cuda ?? page.cuda, page, complete: inSubset(page, version) });
    }
  }
  return out;
}

function linuxPythons(wheels) {
  return sortPythons(wheels.filter((w) => w.platformTags.some(isLinuxPlatform)).flatMap((w) => w.pythons));
}

function pluginCudas(up, version) {
  return Object.entries(up.plan.pluginProjects)
    .filter(([project]) => up.simple[project]?.versions.includes(version))
    .map(([project, major]) => ({ project, major }));
}

function uploadedOn(up, version, wheels) {
  const times = [...wheels.map((w) => w.uploadTime), ...(up.releases[version]?.files ?? []).map((f) => f.uploadTime)].filter(Boolean).sort();
  return times[0]?.slice(0, 10) ?? null;
}

function newReleaseFinding(fw, up, version, date) {
  const rel = up.releases[version];
  const wheels = wheelsOfRelease(up, version);
  const variants = [...new Map(wheels.filter((w) => w.variant).map((w) => [w.variant, w])).values()].sort((a, b) => compareDotted(a.variant, b.variant));
  const plugins = pluginCudas(up, version);
  const pypiDefault = rel?.status === "ok" ? cudaOfRequirements(rel.requiresDist) : null;
  const platforms = [...new Set(wheels.flatMap((w) => w.platformTags.filter(isLinuxPlatform)))].sort();
  const released = uploadedOn(up, version, wheels);
  const sources = [rel?.url ?? simpleUrl(up.plan.releaseProject), ...variants.map((w) => w.page.url)];
  const details = [
    `released: ${released ?? "unknown"} (earliest upload)`,
    `Python (classifiers): ${rel?.status === "ok" ? list(rel.classifierPythons) : `not read (${rel?.status ?? "not requested"})`}`,
    `Python (Linux wheels): ${list(linuxPythons(wheels))}${wheels.some((w) => !w.complete) ? " (partly from a partial recording)" : ""}`,
  ];
  if (variants.length) details.push(`CUDA builds on the per-CUDA indexes: ${variants.map((w) => `${cuTag(w.variant)} (${w.version})`).join(", ")}`);
  if (plugins.length) details.push(`CUDA plugins on PyPI: ${plugins.map((p) => p.project).join(", ")}`);
  if (pypiDefault) details.push(`PyPI wheel's CUDA (Requires-Dist): ${pypiDefault}`);
  details.push(`Linux platform tags: ${list(platforms)}`);
  const note = `proposed by data:refresh on ${date}, review before merging`;
  const python = rel?.status === "ok" && rel.classifierPythons.length ? rel.classifierPythons : linuxPythons(wheels);
  const builds = variants.map((w) => ({
    cuda: w.variant,
    cudnn: null,
    ...(pypiDefault === w.variant ? { default: true } : {}),
    bundlesCuda: true,
    packages: [{ name: FRAMEWORK_PLANS[fw.framework].cudaIndex.package, version: w.version }],
    indexUrl: w.page.indexUrl,
    arch: [],
    ptx: [],
    archSource: null,
    source: w.page.url,
    note: `${note}; cudnn, arch, ptx, archSource and companion packages are not in the index and must be filled in`,
  }));
  return {
    group: "new-release",
    section: fw.framework,
    key: `${fw.framework} ${version}`,
    title: `${fw.framework} ${version} is on ${up.plan.releaseProject === "paddlepaddle-gpu" ? "PyPI/Paddle's index" : "PyPI"} but not in matrix/frameworks/${fw.framework}.yaml`,
    details,
    sources,
    proposal: {
      file: `frameworks/${fw.framework}.yaml`,
      key: "releases",
      row: { version, ...(released ? { released } : {}), python, source: rel?.url ?? simpleUrl(up.plan.releaseProject), note, builds },
    },
  };
}

function newBuildFindings(fw, up) {
  const out = [];
  for (const release of recentReleases(fw)) {
    const curated = new Set(release.builds.map((b) => b.cuda));
    const curatedMajors = new Set(release.builds.map((b) => b.cuda.split(".")[0]));
    const seen = new Map();
    for (const w of wheelsOfRelease(up, release.version)) if (w.variant && !curated.has(w.variant)) seen.set(w.variant, w);
    for (const [cuda, w] of seen) {
      out.push({
        group: "new-build",
        section: fw.framework,
        key: `${fw.framework} ${release.version} ${cuTag(cuda)}`,
        title: `${fw.framework} ${release.version} has a CUDA ${cuda} build (${w.version}) that the release row does not list`,
        details: [`index: ${w.page.url}`, `Python (Linux wheels): ${list(linuxPythons([w]))}`],
        sources: [w.page.url],
      });
    }
    for (const p of pluginCudas(up, release.version).filter((p) => !curatedMajors.has(p.major))) {
      out.push({
        group: "new-build",
        section: fw.framework,
        key: `${fw.framework} ${release.version} cuda${p.major}`,
        title: `${fw.framework} ${release.version} has ${p.project} on PyPI but no CUDA ${p.major} build in the release row`,
        details: [],
        sources: [simpleUrl(p.project)],
      });
    }
  }
  return out;
}

/** Pins the curated builds install that their channel no longer (or never) served. */
function pinFindings(fw, up) {
  const out = [];
  const plan = FRAMEWORK_PLANS[fw.framework];
  for (const release of fw.releases) {
    for (const build of release.builds) {
      let page = null;
      if (build.indexUrl && plan.cudaIndex) page = up.indexes.find((p) => p.url === indexPage(build.indexUrl, plan.cudaIndex.package)) ?? null;
      else if (build.findLinks) page = up.findLinks.find((p) => p.url === build.findLinks) ?? null;
      for (const pin of build.packages) {
        const name = normalizeName(pin.name);
        const publicVersion = pin.version.split("+")[0];
        let where = null;
        let served = true;
        if (page) {
          if (page.status !== "ok" || !inSubset(page, publicVersion) || !page.wheels.some((w) => w.name === name)) continue;
          where = page.url;
          served = page.wheels.some((w) => w.name === name && w.version.toLowerCase() === pin.version.toLowerCase());
        } else if (!build.indexUrl && !build.findLinks && !build.extraIndexUrl) {
          const simple = up.simple[name];
          if (simple?.status !== "ok" || !inSubset(simple, publicVersion)) continue;
          where = simple.url;
          served = simple.versions.includes(pin.version);
        }
        if (!where || served) continue;
        out.push({
          group: "disagreement",
          section: fw.framework,
          key: `${fw.framework} ${release.version} pin ${name} ${pin.version} ${build.cuda}`,
          title: `${fw.framework} ${release.version} (CUDA ${build.cuda}) pins ${name}==${pin.version}, which ${where} does not serve`,
          details: build.note ? [`row note: ${build.note}`] : [],
          sources: [where],
        });
      }
    }
  }
  return out;
}

/** The newest curated release against its PyPI metadata and wheels. */
function releaseFactFindings(fw, up) {
  const out = [];
  const [release] = recentReleases(fw, 1);
  if (!release) return out;
  const rel = up.releases[release.version];
  const wheels = wheelsOfRelease(up, release.version);
  const curated = sortPythons(release.python.map(String));
  const checks = [];
  if (rel?.status === "ok" && rel.classifierPythons.length) checks.push(["PyPI classifiers", rel.classifierPythons, rel.url]);
  const complete = wheels.filter((w) => w.complete);
  const wheelPythons = linuxPythons(complete);
  if (wheelPythons.length) checks.push(["Linux wheels", wheelPythons, complete.find((w) => w.page)?.page.url ?? simpleUrl(up.plan.releaseProject)]);
  for (const [what, upstreamList, url] of checks) {
    const missing = upstreamList.filter((p) => !curated.includes(p));
    const extra = curated.filter((p) => !upstreamList.includes(p));
    if (!missing.length && !extra.length) continue;
    out.push({
      group: "disagreement",
      section: fw.framework,
      key: `${fw.framework} ${release.version} python ${what}`,
      title: `${fw.framework} ${release.version}: python list [${curated.join(", ")}] disagrees with the ${what} [${upstreamList.join(", ")}]`,
      details: [...(missing.length ? [`upstream has, matrix lacks: ${missing.join(", ")}`] : []), ...(extra.length ? [`matrix has, upstream lacks: ${extra.join(", ")}`] : []), ...(release.note ? [`row note: ${release.note}`] : [])],
      sources: [url],
    });
  }
  if (fw.framework === "torch" && rel?.status === "ok") {
    const pypiCuda = cudaOfRequirements(rel.requiresDist);
    const def = release.builds.find((b) => b.default);
    if (pypiCuda && def && def.cuda !== pypiCuda) {
      out.push({
        group: "disagreement",
        section: fw.framework,
        key: `${fw.framework} ${release.version} default`,
        title: `${fw.framework} ${release.version}: the PyPI wheel requires CUDA ${pypiCuda}, but the default build is CUDA ${def.cuda}`,
        details: [],
        sources: [rel.url],
      });
    }
    if (def?.cudaWheels) {
      const pinned = new Map(linuxRequirements(rel.requiresDist).filter((r) => r.name.startsWith("nvidia-")).map((r) => [r.name, r.spec]));
      const diffs = def.cudaWheels.filter((c) => pinned.has(c.name) && pinned.get(c.name) !== c.spec).map((c) => `${c.name}: matrix ${c.spec}, PyPI ${pinned.get(c.name)}`);
      if (diffs.length) {
        out.push({
          group: "disagreement",
          section: fw.framework,
          key: `${fw.framework} ${release.version} cudaWheels`,
          title: `${fw.framework} ${release.version}: cudaWheels of the default build disagree with the PyPI wheel's Requires-Dist`,
          details: diffs,
          sources: [rel.url],
        });
      }
    }
  }
  return out;
}

export function diffFramework(fw, up, date) {
  const versions = up.simple[up.plan.releaseProject]?.versions ?? [];
  const fromIndexes = up.indexes.flatMap((p) => p.wheels.map((w) => w.publicVersion));
  const fresh = newReleaseVersions(fw, [...new Set([...versions, ...fromIndexes])]);
  return [...fresh.map((v) => newReleaseFinding(fw, up, v, date)), ...newBuildFindings(fw, up), ...pinFindings(fw, up), ...releaseFactFindings(fw, up)];
}
