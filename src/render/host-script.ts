// The host bootstrap script: a short Handlebars header (templates/host/header.sh.hbs) that holds
// every generated value, then the plain shell steps of templates/host/steps/ in name order.
// A step is `NN-name.sh` for both engines or `NN-name.<engine>.sh` for one (the Docker and Podman
// variants of a step side by side); `00-about.<engine>.sh` is the comment the header places.
import { renderTemplate, shellPart, shellPartNames } from "./templates.js";

export type Engine = "docker" | "podman";
const STEP = /^host\/steps\/\d\d-[a-z0-9-]+(?:\.(docker|podman))?\.sh$/;

/** The step files of one engine, in the order the script holds them. */
export function hostSteps(engine: Engine): string[] {
  return shellPartNames("host/steps/").filter((name) => {
    const m = STEP.exec(name);
    if (!m) throw new Error(`templates/${name}: a step is named NN-name.sh or NN-name.<docker|podman>.sh`);
    return !name.startsWith("host/steps/00-") && (m[1] === undefined || m[1] === engine);
  });
}

export function renderBootstrap(view: { podman: boolean } & object): string {
  const engine: Engine = view.podman ? "podman" : "docker";
  const about = shellPart(`host/steps/00-about.${engine}.sh`).replace(/\n$/, "");
  const header = renderTemplate("host/header.sh", { ...view, about });
  return [header, ...hostSteps(engine).map(shellPart)].join("\n");
}
