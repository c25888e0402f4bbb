// Bundles an APPSYNC_JS module with the very esbuild options the local emulator uses, so
// AppSync runs byte-for-byte the code the local stack tested. Synchronous because CDK
// constructs are built synchronously.
import { buildSync } from "esbuild";
import { APPSYNC_JS_BUILD_OPTIONS, appSyncBundleText } from "../../api/appsync-build";
import { requireEntry } from "./service-function";

export function bundleAppsyncJs(root: string, relativePath: string): string {
  const result = buildSync({
    ...APPSYNC_JS_BUILD_OPTIONS,
    entryPoints: [requireEntry(root, relativePath)],
    logLevel: "silent",
  });
  return appSyncBundleText(result, relativePath);
}
