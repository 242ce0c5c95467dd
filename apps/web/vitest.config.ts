import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

/** Unit tests of the app's own logic (stores, load functions); browser journeys are test/e2e. */
export default defineConfig({
  plugins: [sveltekit()],
  resolve: { conditions: ['pitboard-source', 'browser'] },
  test: { include: ['src/**/*.test.ts'], environment: 'node', passWithNoTests: false }
});
