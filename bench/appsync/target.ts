// Child-process entry: starts one benchmark target so the load generator in the parent
// does not share its event loop. Reports `{ url }` over IPC, stops on "stop".
import { startAppSyncEmulator } from "../../local/appsync/emulator";
import { benchApi } from "./api";
import { BENCH_API_KEY, startSimulator } from "./simulator";

export type TargetName = "emulator" | "simulator";
export type TargetReady = { url: string };

const starters: Record<TargetName, () => Promise<{ url: string; stop: () => Promise<void> }>> = {
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
    return { url: emulator.url, stop: emulator.stop };
  },
};

const name = process.argv[2] as TargetName;
const target = await starters[name]();
process.send?.({ url: target.url } satisfies TargetReady);
process.on("message", async (message) => {
  if (message !== "stop") return;
  await target.stop();
  process.exit(0);
});
// Never outlive the parent, even if it dies without saying "stop".
process.on("disconnect", () => process.exit(0));
