// Evaluates an esbuild APPSYNC_JS bundle in its own node:vm context, with the emulator's
// `@aws-appsync/utils` as the only importable module (as in AppSync's runtime).
import vm from "node:vm";
import { transformSync } from "esbuild";
import type { AppSyncUtils } from "./util";

export type Handler = (ctx: unknown) => unknown;
export type CodeModule = { request?: Handler; response?: Handler };

export type ConsoleSink = (level: "log" | "error", args: unknown[]) => void;

export function loadAppSyncModule(
  bundle: string,
  utils: AppSyncUtils,
  filename: string,
  log: ConsoleSink,
): CodeModule {
  // The bundle is ESM; node:vm runs scripts, so re-emit it as a CommonJS function body.
  const cjs = transformSync(bundle, { format: "cjs", loader: "js", target: "es2020" }).code;
  const context = vm.createContext({
    ...utils,
    console: {
      log: (...args: unknown[]) => log("log", args),
      error: (...args: unknown[]) => log("error", args),
    },
  });
  const wrapper = vm.runInContext(`(function (exports, require, module) {${cjs}\n})`, context, {
    filename,
  }) as (exports: object, require: (id: string) => unknown, module: { exports: object }) => void;
  const module = { exports: {} as CodeModule };
  wrapper(
    module.exports,
    (id) => {
      if (id === "@aws-appsync/utils") return utils;
      throw new Error(`${filename}: the APPSYNC_JS runtime cannot import ${id}`);
    },
    module,
  );
  return module.exports;
}
