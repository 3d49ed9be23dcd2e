import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The console lives in web/; its types come from the server's contracts (`@contracts/...`).
export default defineConfig({
  root: here('.'),
  plugins: [react()],
  resolve: { alias: { '@contracts': here('../src/contracts') } },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    // vendor code changes rarely: keep it apart from the console's own chunks so it stays cached
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/ },
            { name: 'zod', test: /node_modules[\\/]zod[\\/]/ },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
    fs: { allow: [here('..')] },
  },
});
