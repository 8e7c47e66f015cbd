import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The portal is built into web/dist and served by Fastify at `/` (src/portal/web-app.ts).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Strict CSP on the server: no inline script or style in the output.
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    // `npx vite --config web/vite.config.ts` for UI work against a running `npm start` on :8080.
    proxy: { '/portal/api': 'http://127.0.0.1:8080', '/v2': 'http://127.0.0.1:8080' },
  },
});
