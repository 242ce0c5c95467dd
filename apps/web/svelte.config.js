import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
export default {
  kit: {
    // precompress (adapter-node 5's default, stated so it stays on): .br and .gz next to each
    // built asset, served by its static handler to browsers that accept them.
    adapter: adapter({ out: 'build', precompress: true }),
    // The custom server (server.js) serves /collab and /api before SvelteKit sees a request.
    csrf: { trustedOrigins: [] }
  }
};
