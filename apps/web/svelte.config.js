import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
export default {
  kit: {
    adapter: adapter({ out: 'build' }),
    // The custom server (server.js) serves /collab and /api before SvelteKit sees a request.
    csrf: { trustedOrigins: [] }
  }
};
