import { defineConfig } from "vitest/config";

// Unit tests are pure and fast; integration tests start real local servers on
// ephemeral 127.0.0.1 ports, so files may run in parallel without clashing.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default"],
  },
});
