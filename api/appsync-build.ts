// How APPSYNC_JS resolver and function modules are bundled, shared by the emulator
// (local/appsync/bundle.ts) and CDK (infra/constructs/appsync-code.ts) so AppSync runs
// byte-for-byte the code the local stack tested: one ESM file for ES2020, with
// `@aws-appsync/utils` left as an import the AppSync runtime supplies.
import type { BuildOptions, BuildResult } from "esbuild";

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

/** The one file a build with these options produces. */
export function appSyncBundleText(result: BuildResult, entry: string): string {
  const output = result.outputFiles?.[0];
  if (!output) throw new Error(`esbuild produced no output for ${entry}`);
  return output.text;
}
