/**
 * `vite dev` serves the whole app on one port, as production does: this plugin starts the
 * server core (loaded from source through Vite) and routes `/collab` upgrades and the core's
 * HTTP endpoints to it before SvelteKit.
 */
import type { Plugin, ViteDevServer } from 'vite';

export function pitboardDev(): Plugin {
  return {
    name: 'pitboard-dev',
    apply: 'serve',
    async configureServer(server: ViteDevServer) {
      const core = (await server.ssrLoadModule('@pitboard/server')) as typeof import('@pitboard/server');
      const g = globalThis as { __pitboard?: import('@pitboard/server').Pitboard };
      const pitboard = (g.__pitboard ??= await core.createPitboard(core.loadConfig()));
      core.printDemoLogins(pitboard);
      const http = core.coreHttpHandler(pitboard, () => pitboard.config.publicUrl);
      const upgrade = core.collabUpgradeHandler(pitboard);
      server.middlewares.use((req, res, next) => http(req, res, next));
      server.httpServer?.on('upgrade', (req, socket, head) => {
        upgrade(req, socket, head); // other upgrades (Vite's HMR) are left to Vite
      });
      server.httpServer?.on('close', () => {
        pitboard.hocuspocus.closeConnections();
        void pitboard.close();
      });
    }
  };
}
