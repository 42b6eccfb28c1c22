// Bundles the preload script into one CommonJS file: a sandboxed preload can require
// nothing but 'electron', so bridge.ts must be inlined.
import { build } from 'esbuild';

await build({
  entryPoints: ['electron/preload/preload.ts'],
  outfile: 'dist/preload/preload.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'chrome130',
  external: ['electron'],
  sourcemap: true,
  logLevel: 'warning',
});
