// Reads what upstream says about each framework's releases and builds and returns it as plain data.
import { parseSimpleIndex, PEP503_ACCEPT, PEP691_ACCEPT } from "./simple-index.mjs";
import { parsePypiRelease, pypiReleaseUrl } from "./pypi-json.mjs";
import { parseWheelFilename } from "./wheel-filename.mjs";
import { FRAMEWORK_PLANS, newReleaseVersions, planCudaIndexes, planFindLinks, recentReleases, simpleUrl } from "./framework-sources.mjs";

/** A wheel file, parsed, with where it came from. */
function wheelsOf(index) {
  const out = [];
  for (const f of index.files) {
    const w = parseWheelFilename(f.filename);
    if (w) out.push({ ...w, filename: f.filename, url: f.url, uploadTime: f.uploadTime, yanked: f.yanked });
  }
  return out;
}

/** A simple-API page (PEP 691 JSON or PEP 503 HTML), fetched and parsed; errors become a status. */
export async function readIndexPage(upstream, url, { format, accept, purpose }) {
  const res = await upstream.get({ url, format, accept, purpose });
  if (res.status !== "ok") return { url, status: res.status, error: res.error, subset: null, versions: [], wheels: [] };
  try {
    const index = parseSimpleIndex(res.body ?? "", { contentType: res.contentType, baseUrl: url });
    const wheels = wheelsOf(index);
    const versions = index.versions ?? [...new Set(index.files.map((f) => parseWheelFilename(f.filename)?.publicVersion ?? sdistVersion(f.filename)).filter(Boolean))];
    return { url, status: "ok", subset: res.meta?.subset ?? null, versions, wheels };
  } catch (err) {
    return { url, status: "error", error: `could not parse: ${err.message}`, subset: null, versions: [], wheels: [] };
  }
}

function sdistVersion(filename) {
  return /^[^-]+-(\d[^-]*?)\.(tar\.gz|zip)$/.exec(filename)?.[1] ?? null;
}

async function readRelease(upstream, project, version) {
  const url = pypiReleaseUrl(project, version);
  const res = await upstream.get({ url, format: "json", accept: "application/json", purpose: `${project} ${version} metadata` });
  if (res.status !== "ok") return { url, status: res.status, error: res.error };
  try {
    return { url, status: "ok", ...parsePypiRelease(JSON.parse(res.body ?? "")) };
  } catch (err) {
    return { url, status: "error", error: `could not parse: ${err.message}` };
  }
}

/**
 * @param {string} name framework key
 * @param {any} fw the curated framework file
 * @param {string[]} knownCudaMinors
 */
export async function collectFramework(upstream, name, fw, knownCudaMinors) {
  const plan = FRAMEWORK_PLANS[name];
  const projects = [...new Set([plan.releaseProject, ...plan.wheelProjects, ...plan.pinProjects, ...Object.keys(plan.pluginProjects)])];
  const simple = Object.fromEntries(
    await Promise.all(
      projects.map(async (p) => [p, await readIndexPage(upstream, simpleUrl(p), { format: "json", accept: PEP691_ACCEPT, purpose: `${p} release list (PEP 691)` })]),
    ),
  );
  const releaseVersions = simple[plan.releaseProject]?.versions ?? [];
  const detailed = [...new Set([...newReleaseVersions(fw, releaseVersions), ...recentReleases(fw, 1).map((r) => r.version)])];
  const releases = Object.fromEntries(await Promise.all(detailed.map(async (v) => [v, await readRelease(upstream, plan.releaseProject, v)])));
  const indexes = await Promise.all(
    planCudaIndexes(name, fw, knownCudaMinors).map(async (p) => ({
      cuda: p.cuda,
      indexUrl: p.indexUrl,
      probe: p.probe,
      ...(await readIndexPage(upstream, p.page, { format: "html", accept: PEP503_ACCEPT, purpose: `${name} builds for CUDA ${p.cuda} (PEP 503)` })),
    })),
  );
  const findLinks = await Promise.all(
    planFindLinks(fw).map((url) => readIndexPage(upstream, url, { format: "html", accept: "text/html", purpose: `${name} find-links page` })),
  );
  return { framework: name, plan: { releaseProject: plan.releaseProject, pluginProjects: plan.pluginProjects }, simple, releases, indexes, findLinks };
}
