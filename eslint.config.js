// ESLint over the packages' sources, tests and benches and the web app (`npm run lint`, zero
// warnings, run by .ci/run): typescript-eslint's and eslint-plugin-svelte's recommended rules.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './apps/web/svelte.config.js';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/build/**', '**/.svelte-kit/**', '**/.turbo/**']
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } }
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'], svelteConfig }
    }
  },
  {
    rules: {
      // `_`-prefixed names are deliberately unused (a required parameter, a destructured rest).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }]
    }
  },
  {
    // Tests read JSON answers and protocol messages loosely and let each assertion state the
    // shape it expects (a wrong shape fails the test); sources and benches stay typed.
    files: ['packages/*/test/**', 'apps/web/test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  },
  {
    // TypeScript itself reports undefined names (typescript-eslint's advice: no-undef knows no
    // types, e.g. the DOM's NotificationPermission).
    files: ['**/*.ts', '**/*.svelte'],
    rules: { 'no-undef': 'off' }
  },
  {
    // The app is served at the root (no kit.paths.base) and its links are plain paths, so
    // resolve() would change no href.
    files: ['apps/web/src/**/*.svelte'],
    rules: { 'svelte/no-navigation-without-resolve': 'off' }
  },
  {
    // The web app's stores replace their $state fields whole (`this.rows = mine`); the Maps,
    // Sets and Dates this rule flags are temporaries inside functions and $derived blocks,
    // listener registries no template reads, or values assigned whole to a $state field — none
    // is mutated where a template depends on it, so Svelte's reactive versions would add nothing.
    files: ['apps/web/src/**'],
    rules: { 'svelte/prefer-svelte-reactivity': 'off' }
  },
  {
    // A migration sees the schema of its own time, not today's `Database` type, so it takes a
    // `Kysely<any>` (Kysely's documented practice); released migrations are never edited.
    files: ['packages/server/src/storage/migrations/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  }
);
