import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['pitboard-source'] },
  ssr: { resolve: { conditions: ['pitboard-source'] } },
  // Tests start real servers and CLI processes (tsx start-up ≈ 1 s each): 5 s is too tight on
  // a busy 2-core CI machine. A hang still fails, just later.
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 }
});
