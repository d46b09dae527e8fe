import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Hang guards, not budgets: a test never races the clock (speed lives in bench/), so only a
    // real hang may trip these, on however loaded a machine (the slowest tests take ~25 s alone, and
    // 15 times that with the load of eight test suites on two cores).
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: "forks",
  },
});
