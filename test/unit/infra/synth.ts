// Builds the Payrail CDK app in-process the way `cdk synth` does (context from cdk.json,
// sources from the repository), skipping Lambda bundling, which test/unit/infra/cdk-synth
// exercises once. One synth per test file; the assertions share it.
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { App, type Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { checkCompliance } from "../../../infra/nag";
import { buildPayrail, type PayrailSources, type PayrailStacks } from "../../../infra/payrail-app";
import { settingsFromContext } from "../../../infra/settings";
import { loadSources } from "../../../infra/sources";

export const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));

export type Synthesized = { app: App; stacks: PayrailStacks; sources: PayrailSources; outdir: string };

export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(REPO_ROOT, "cdk.json"), "utf8")).context;
}

export async function synthPayrail(
  options: {
    context?: Record<string, unknown>;
    nag?: boolean;
    /** Changes the repository's sources before the app is built (e.g. adds a tenant). */
    sources?: (sources: PayrailSources) => PayrailSources;
  } = {},
): Promise<Synthesized> {
  const outdir = await mkdtemp(join(tmpdir(), "payrail-cdk-"));
  const app = new App({
    outdir,
    context: { ...cdkJsonContext(), "aws:cdk:bundling-stacks": [], ...options.context },
  });
  const loaded = await loadSources(REPO_ROOT);
  const sources = options.sources ? options.sources(loaded) : loaded;
  try {
    const stacks = buildPayrail(app, settingsFromContext(app.node, REPO_ROOT), sources);
    // With cdk-nag on, synth throws on any unacknowledged finding.
    if (options.nag) checkCompliance(app);
    app.synth();
    return { app, stacks, sources, outdir };
  } catch (error) {
    await rm(outdir, { recursive: true, force: true });
    throw error;
  }
}

const templates = new WeakMap<Stack, Template>();

export function templateOf(stack: Stack): Template {
  let template = templates.get(stack);
  if (!template) {
    template = Template.fromStack(stack);
    templates.set(stack, template);
  }
  return template;
}
