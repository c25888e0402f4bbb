// `payrail …`: see bin/cli.ts for the commands and their flags.
import { runCli } from "./cli";

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
