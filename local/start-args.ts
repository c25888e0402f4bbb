// The flags of `npm start` (local/start.ts), parsed with node:util's parseArgs: an unknown
// flag, a missing value or a stray argument is a UsageError carrying the usage line.
import { resolve } from "node:path";
import { parseArgs } from "node:util";

export const START_USAGE =
  "usage: npm start -- [--memory] [--data <dir>] [--config <dir>] [--ephemeral-ports] [--help]";

export const START_HELP = `${START_USAGE}

Runs the whole of Payrail on this machine (Ctrl-C stops).
  --memory           keep every server's data in RAM (nothing is written to --data but local.json)
  --data <dir>       where data, TLS files and local.json live (default .payrail)
  --config <dir>     regions, tenants and pipeline.yaml (default config)
  --ephemeral-ports  bind every server to a free port instead of the defaults
  --help             print this and exit
Ports: PAYRAIL_GRAPHQL_PORT, PAYRAIL_KAFKA_PORT, PAYRAIL_DYNAMODB_PORT, PAYRAIL_S3_PORT.`;

export type StartArgs = {
  help: boolean;
  memory: boolean;
  ephemeral: boolean;
  dataDir: string;
  configDir: string;
};

export class UsageError extends Error {
  override name = "UsageError";
}

export function parseStartArgs(argv: string[]): StartArgs {
  let values: { [flag: string]: string | boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: "boolean", short: "h", default: false },
        memory: { type: "boolean", default: false },
        "ephemeral-ports": { type: "boolean", default: false },
        data: { type: "string", default: ".payrail" },
        config: { type: "string", default: "config" },
      },
    }));
  } catch (error) {
    // parseArgs explains itself ("Unknown option '--x'…"); its first sentence is enough.
    const reason = (error instanceof Error ? error.message : String(error)).split(". ")[0];
    throw new UsageError(`${reason}\n${START_USAGE}`);
  }
  return {
    help: values.help === true,
    memory: values.memory === true,
    ephemeral: values["ephemeral-ports"] === true,
    dataDir: resolve(String(values.data)),
    configDir: resolve(String(values.config)),
  };
}
