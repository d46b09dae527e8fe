import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Hang guards, not budgets: a test never races the clock (speed lives in bench/), so only a
    // real hang may trip these, on however loaded a machine (the slowest tests take ~25 s alone).
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
  },
});
