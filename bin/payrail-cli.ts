// Payrail's command line: `payrail dlq …` and `payrail tenant …` (see each command).
import { dlqCommand } from "./dlq-command";
import { tenantCommand } from "./tenant-command";

function option(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

export async function runCli(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const [command, action = "", target] = argv;
  const common = { data: option(argv, "--data") };
  switch (command) {
    case "dlq":
      return dlqCommand(
        {
          action,
          topic: option(argv, "--topic"),
          tenant: option(argv, "--tenant"),
          brokers: option(argv, "--brokers"),
          ...common,
        },
        out,
      );
    case "tenant":
      return tenantCommand(
        {
          action,
          id: target?.startsWith("--") ? undefined : target,
          region: option(argv, "--region"),
          name: option(argv, "--name"),
          deploy: argv.includes("--deploy"),
          config: option(argv, "--config"),
          envName: option(argv, "--env"),
          ...common,
        },
        out,
      );
    default:
      out(
        "usage: payrail dlq list|replay --topic <topic> [--tenant <id>]\n       payrail tenant create <id> --region <region> [--deploy]",
      );
      return 2;
  }
}

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
