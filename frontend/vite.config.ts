/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url';

import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The gateway serves the built SPA and everything under /api; in development Vite
// serves the SPA and hands /api to a locally running gateway.
const GATEWAY_URL = process.env.TF_GATEWAY_URL ?? 'http://127.0.0.1:8000';
// The sample bundle the demo data uploads; the bundle editor offers it as a starting point.
const SAMPLES_DIR = fileURLToPath(new URL('../services/definitions/samples', import.meta.url));

export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./src', import.meta.url)),
      '@samples': SAMPLES_DIR,
    },
  },
  server: {
    fs: { allow: [fileURLToPath(new URL('.', import.meta.url)), SAMPLES_DIR] },
    proxy: {
      '/api': { target: GATEWAY_URL },
    },
  },
  build: {
    outDir: 'dist',
  },
  test: {
    restoreMocks: true,
    unstubGlobals: true,
    // Logic tests run in plain Node; only component tests pay for a DOM.
    projects: [
      {
        extends: true,
        test: { name: 'unit', environment: 'node', include: ['src/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['src/**/*.test.tsx'],
          setupFiles: ['./src/testing/setup.ts'],
        },
      },
    ],
  },
});
