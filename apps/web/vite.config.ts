import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { pitboardDev } from './dev/pitboard-dev-plugin';

export default defineConfig(({ command }) => ({
  plugins: [pitboardDev(), sveltekit()],
  // Workspace packages are consumed from source (their `source` export condition).
  resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
  ssr: {
    resolve: { conditions: ['source', 'module', 'node', 'development|production'], externalConditions: ['source'] },
    // In production the server core is one shared instance, loaded by server.js from its build.
    external: command === 'build' ? ['@pitboard/server'] : []
  },
  server: { host: process.env.HOST || '127.0.0.1', port: Number(process.env.PORT || 3000) }
}));
