import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { pitboardDev } from './dev/pitboard-dev-plugin.ts';

export default defineConfig({
  plugins: [pitboardDev(), sveltekit()],
  // Workspace packages are consumed from source (their `pitboard-source` export condition).
  resolve: { conditions: ['pitboard-source', 'module', 'browser', 'development|production'] },
  ssr: {
    resolve: { conditions: ['pitboard-source', 'module', 'node', 'development|production'] }
  },
  server: { host: process.env.HOST || '127.0.0.1', port: Number(process.env.PORT || 3000) }
});
