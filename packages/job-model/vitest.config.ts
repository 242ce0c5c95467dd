import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['pitboard-source'] },
  ssr: { resolve: { conditions: ['pitboard-source'] } },
  test: { include: ['test/**/*.test.ts'] }
});
