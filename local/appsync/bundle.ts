// Bundles an APPSYNC_JS resolver or function module the way CDK deploys it (the options
// live in api/ so infra shares them without importing the emulator).
import { build } from "esbuild";
import { APPSYNC_JS_BUILD_OPTIONS, appSyncBundleText } from "../../api/appsync-build";

export async function bundleAppSyncCode(entry: string): Promise<string> {
  return appSyncBundleText(await build({ ...APPSYNC_JS_BUILD_OPTIONS, entryPoints: [entry] }), entry);
}
