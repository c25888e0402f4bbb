// `cdk` entry point (cdk.json: `npx tsx infra/app.ts`). Context: see infra/settings.ts
// and docs/infra.md.
import { fileURLToPath } from "node:url";
import { App } from "aws-cdk-lib";
import { checkCompliance } from "./nag";
import { buildPayrail } from "./payrail-app";
import { settingsFromContext } from "./settings";
import { loadSources } from "./sources";

const root = fileURLToPath(new URL("..", import.meta.url));
const app = new App();
const settings = settingsFromContext(app.node, root);
buildPayrail(app, settings, await loadSources(root));
checkCompliance(app);
app.synth();
