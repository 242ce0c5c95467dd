import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
export default {
  kit: {
    // precompress (adapter-node 5's default, stated so it stays on): .br and .gz next to each
    // built asset, served by its static handler to browsers that accept them.
    adapter: adapter({ out: 'build', precompress: true }),
    // The custom server (server.js) serves /collab and /api before SvelteKit sees a request.
    csrf: { trustedOrigins: [] },
    // Content-Security-Policy for every page (docs/security.md, Response headers): scripts
    // only from us, each inline hydration script carrying this response's nonce ('auto': nonce
    // for rendered pages, hashes for prerendered ones); no framing by anyone. Inline styles
    // stay allowed: Svelte sets style attributes (progress bars) and transitions.
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'font-src': ['self'],
        'connect-src': ['self'],
        'worker-src': ['self'],
        'manifest-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none']
      }
    }
  }
};
