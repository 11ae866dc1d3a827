// The storefront's build. JSX goes through esbuild's automatic runtime (no @vitejs/plugin-react: it
// does not install on every machine this project runs on, and fast refresh is not needed here).
// Contracts are compiled from source so the browser and the services share one set of schemas.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const contracts = fileURLToPath(new URL('../services/contracts/src/index.ts', import.meta.url));
const api = process.env.KARTSHOPPE_API_URL ?? 'http://127.0.0.1:8081';

export default defineConfig({
  resolve: { alias: { '@kartshoppe/contracts': contracts } },
  esbuild: { jsx: 'automatic' },
  server: {
    host: '127.0.0.1',
    port: Number(process.env.FRONTEND_PORT ?? 3000),
    proxy: {
      '/api': { target: api, changeOrigin: true },
      '/health': { target: api, changeOrigin: true },
      '/ecommerce': { target: api.replace(/^http/, 'ws'), ws: true, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod ships comments Rollup cannot place; harmless, and they drown real warnings.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/zod/')) return;
        warn(warning);
      },
    },
  },
});
