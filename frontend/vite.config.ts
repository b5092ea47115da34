/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url';

import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The gateway serves the built SPA and everything under /api; in development Vite
// serves the SPA and hands /api to a locally running gateway.
const GATEWAY_URL = process.env.TF_GATEWAY_URL ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./src', import.meta.url)),
    },
  },
  server: {
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
