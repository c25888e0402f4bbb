// Bundles an APPSYNC_JS resolver or function module the way CDK deploys it: one ESM
// file for ES2020, `@aws-appsync/utils` left as an import the AppSync runtime supplies.
import { type BuildOptions, build } from "esbuild";

export const APPSYNC_JS_BUILD_OPTIONS: BuildOptions = {
  bundle: true,
  write: false,
  format: "esm",
  target: "es2020",
  platform: "node",
  external: ["@aws-appsync/utils"],
  sourcemap: "inline",
  sourcesContent: false,
  minify: false,
};

export async function bundleAppSyncCode(entry: string): Promise<string> {
  const result = await build({ ...APPSYNC_JS_BUILD_OPTIONS, entryPoints: [entry] });
  const output = result.outputFiles?.[0];
  if (!output) throw new Error(`esbuild produced no output for ${entry}`);
  return output.text;
}
