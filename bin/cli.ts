// Payrail's command line: one `node:util` parseArgs spec per command, so every command takes
// `--help` and refuses an unknown flag with its usage line (exit 2), like a typo must.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { dlqCommand } from "./dlq-command";
import { refundIndexBackfill } from "./refund-index-backfill";
import { tenantCommand } from "./tenant-command";
import { tenantDelete } from "./tenant-delete";

type Options = NonNullable<ParseArgsConfig["options"]>;
type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;
type Command = {
  usage: string;
  options: Options;
  /** Positional arguments after the action, all required, e.g. the tenant id. */
  positionals: number;
  run: (values: Values, positionals: string[], out: (line: string) => void) => Promise<number>;
};

const str = { type: "string" } as const;
const flag = { type: "boolean" } as const;
const help = { help: { type: "boolean", short: "h" } } as const;
const dlqOptions = { ...help, topic: str, tenant: str, brokers: str, data: str };
const text = (value: Values[string]) => (typeof value === "string" ? value : undefined);

const dlq =
  (action: string): Command["run"] =>
  (values, _, out) =>
    dlqCommand(
      {
        action,
        topic: text(values.topic),
        tenant: text(values.tenant),
        brokers: text(values.brokers),
        data: text(values.data),
      },
      out,
    );

const COMMANDS: Readonly<Record<string, Command>> = {
  "dlq list": {
    usage: "payrail dlq list --topic <topic> [--tenant <id>] [--brokers host:port] [--data <dir>]",
    options: dlqOptions,
    positionals: 0,
    run: dlq("list"),
  },
  "dlq replay": {
    usage: "payrail dlq replay --topic <topic> [--tenant <id>] [--brokers host:port] [--data <dir>]",
    options: dlqOptions,
    positionals: 0,
    run: dlq("replay"),
  },
  "tenant create": {
    usage:
      "payrail tenant create <id> --region <region> [--name <name>] [--deploy] [--env <env>] [--config <dir>] [--data <dir>]",
    options: { ...help, region: str, name: str, deploy: flag, config: str, env: str, data: str },
    positionals: 1,
    run: (values, [id], out) =>
      tenantCommand(
        {
          action: "create",
          id,
          region: text(values.region),
          name: text(values.name),
          deploy: values.deploy === true,
          config: text(values.config),
          envName: text(values.env),
          data: text(values.data),
        },
        out,
      ),
  },
  "tenant delete": {
    usage: "payrail tenant delete <id> [--purge] [--aws] [--env <env>] [--config <dir>] [--data <dir>]",
    options: { ...help, purge: flag, aws: flag, config: str, env: str, data: str },
    positionals: 1,
    run: (values, [id = ""], out) =>
      tenantDelete(
        {
          id,
          purge: values.purge === true,
          aws: values.aws === true,
          config: text(values.config),
          envName: text(values.env),
          data: text(values.data),
        },
        out,
      ),
  },
  "refunds backfill-index": {
    usage:
      "payrail refunds backfill-index (--tenant <id> | --all) [--aws] [--env <env>] [--config <dir>] [--data <dir>]",
    options: { ...help, tenant: str, all: flag, aws: flag, config: str, env: str, data: str },
    positionals: 0,
    run: (values, _, out) =>
      refundIndexBackfill(
        {
          tenant: text(values.tenant),
          all: values.all === true,
          aws: values.aws === true,
          config: text(values.config),
          envName: text(values.env),
          data: text(values.data),
        },
        out,
      ),
  },
};

/** The usage lines of every command under `group` ("dlq", "tenant", "refunds"), or of all. */
const usageOf = (group: string) =>
  Object.entries(COMMANDS)
    .filter(([name]) => group === "" || name.startsWith(`${group} `))
    .map(([, command]) => `usage: ${command.usage}`)
    .join("\n");

/** Runs `argv` (without node and the script); answers the exit code: 0 ok, 1 failed, 2 usage. */
export async function runCli(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const [group = "", action = "", ...rest] = argv;
  const command = COMMANDS[`${group} ${action}`];
  if (!command) {
    // `payrail --help`, `payrail tenant --help`, a typo: the usage of what exists there.
    const known = Object.keys(COMMANDS).some((name) => name.startsWith(`${group} `));
    out(usageOf(known ? group : ""));
    return argv.includes("--help") || argv.includes("-h") ? 0 : 2;
  }
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    out(`${error instanceof Error ? error.message : String(error)}\nusage: ${command.usage}`);
    return 2;
  }
  if (parsed.values.help) {
    out(`usage: ${command.usage}`);
    return 0;
  }
  if (parsed.positionals.length < command.positionals) {
    out(`usage: ${command.usage}`);
    return 2;
  }
  if (parsed.positionals.length > command.positionals) {
    out(`unexpected argument '${parsed.positionals[command.positionals]}'\nusage: ${command.usage}`);
    return 2;
  }
  return command.run(parsed.values, parsed.positionals, out);
}
