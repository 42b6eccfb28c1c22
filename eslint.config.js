// Lint, and the layer rules of docs/architecture.md: an import a layer may not make fails.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const NODE = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const NATIVE = ['better-sqlite3', 'gdal-async', 'pg'];
const DOM_LIBS = ['react', 'react-dom', 'ol', '@mantine/core', '@mantine/hooks', 'react-i18next', 'i18next'];

/** One layer's rule: these modules and these path patterns are off limits, with why. */
const forbid = (why, paths, patterns = [], regex = null) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: paths.map((name) => ({ name, message: why })),
      patterns: [...(patterns.length ? [{ group: patterns, message: why }] : []), ...(regex ? [{ regex, message: why }] : [])],
    },
  ],
});

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'release/**', 'test-results/**', 'coverage/**', '.tmp/**', 'bench/out/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': ['error', { allow: ['error', 'warn'] }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: forbid(
      'shared/ is pure: no Node, DOM, Electron or other layer (docs/architecture.md)',
      [...NODE, 'electron', ...NATIVE, ...DOM_LIBS],
      ['**/electron/**', '**/renderer/**', '**/test/**'],
    ),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...forbid('renderer/ talks to the engine only through shared/contract (docs/architecture.md)', [...NODE, 'electron', ...NATIVE], ['**/electron/**']),
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: forbid(
      'electron/core is the engine: plain Node, never `electron`, never a face (docs/architecture.md)',
      ['electron'],
      ['**/renderer/**', '**/electron/main/**', '**/electron/cli/**', '**/electron/web/**', '**/electron/preload/**', '../main/**', '../cli/**', '../web/**', '../preload/**', '../../main/**', '../../cli/**', '../../web/**', '../../preload/**'],
    ),
  },
  {
    files: ['electron/cli/**/*.ts', 'electron/web/**/*.ts'],
    rules: forbid('CLI and web host run under plain Node: no `electron`, no renderer code', ['electron'], ['**/renderer/**', '../main/**', '../preload/**', '../../main/**', '../../preload/**']),
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: forbid('electron/main is wiring: no renderer or CLI code', [], ['**/renderer/**', '../cli/**', '../../cli/**']),
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: forbid(
      'the sandboxed preload imports only `electron` (and the IPC channel names); it cannot load the engine',
      [...NODE, ...NATIVE],
      ['../core/**', '../main/**', '../web/**', '../cli/**', '**/renderer/**'],
      '^\\.\\./\\.\\./shared/(?!contract/ipc\\.js$)',
    ),
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'test/**/*.ts', 'bench/**', 'scripts/**', 'renderer/vite.config.ts', '*.config.ts', '*.config.js'],
    rules: { 'no-restricted-imports': 'off', 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
