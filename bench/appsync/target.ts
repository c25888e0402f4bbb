// Child-process entry: starts one benchmark target so the load generator in the parent
// does not share its event loop. Reports `{ url }` over IPC, stops on "stop", and for
// the emulator answers `{ publish }` with how long its fan-out took inside the server.
import { startAppSyncEmulator } from "../../local/appsync/emulator";
import { benchApi } from "./api";
import { BENCH_API_KEY, startSimulator } from "./simulator";

export type TargetName = "emulator" | "simulator";
export type TargetReady = { url: string };
export type PublishRequest = { publish: { field: string; data: Record<string, unknown> } };
export type Published = { published: { delivered: number; ms: number } };

type Target = {
  url: string;
  stop: () => Promise<void>;
  publish?: (field: string, data: Record<string, unknown>) => Promise<number>;
};

const starters: Record<TargetName, () => Promise<Target>> = {
  simulator: startSimulator,
  emulator: async () => {
    const emulator = await startAppSyncEmulator({
      api: benchApi,
      host: "127.0.0.1",
      port: 0,
      apiKeys: [BENCH_API_KEY],
      // Per-operation log lines would measure the terminal, not the emulator.
      logger: () => {},
    });
    return { url: emulator.url, stop: emulator.stop, publish: emulator.publish };
  },
};

const name = process.argv[2] as TargetName;
const target = await starters[name]();
process.send?.({ url: target.url } satisfies TargetReady);
process.on("message", async (message: "stop" | PublishRequest) => {
  if (message === "stop") {
    await target.stop();
    process.exit(0);
  }
  if (typeof message === "object" && target.publish) {
    const started = performance.now();
    const delivered = await target.publish(message.publish.field, message.publish.data);
    process.send?.({ published: { delivered, ms: performance.now() - started } } satisfies Published);
  }
});
// Never outlive the parent, even if it dies without saying "stop".
process.on("disconnect", () => process.exit(0));
