// Bundles the GUI into build/gui (beside tsc's output, which the Electron app and the agent ship).
// Relative asset URLs ('./') so the same bundle loads from app://strata/ and from the agent's loopback root.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: {
    outDir: '../build/gui',
    emptyOutDir: true,
    target: 'es2022',
    // Every asset a file: nothing inlined as data: URLs beyond images, so the CSP stays 'self' only.
    assetsInlineLimit: 0,
    sourcemap: false,
    modulePreload: { polyfill: false },
  },
});
