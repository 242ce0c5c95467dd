import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['pitboard-source'] },
  ssr: { resolve: { conditions: ['pitboard-source'] } },
  // Property tests are CPU-bound; on a busy 2-core machine 5 s is too tight (a hang still fails).
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000 }
});
