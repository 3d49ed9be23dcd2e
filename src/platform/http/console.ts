import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { PUBLIC } from '../authz/access.ts';
import type { App, AppDeps } from './app.ts';

/**
 * Serves the built web console: files from web/dist, and index.html for every other non-API
 * path so the console's own router handles deep links.
 */
export async function registerConsole(app: App, deps: AppDeps) {
  const dist = deps.webDist;
  const hasBuild = dist !== undefined && fs.existsSync(path.join(dist, 'index.html'));
  if (hasBuild) await app.register(fastifyStatic, { root: dist, serve: false });

  app.get('/*', { config: { access: PUBLIC }, schema: { hide: true } }, async (request, reply) => {
    const urlPath = decodeURIComponent(request.url.split('?')[0] ?? '/');
    if (urlPath.startsWith('/api/')) {
      return reply.status(404).send({ code: 'NOT_FOUND', message: '接口不存在', requestId: request.id });
    }
    if (!hasBuild) {
      return reply.status(503).type('text/plain; charset=utf-8').send('控制台尚未构建：请运行 npm run build:web，或用 npm start 启动（会自动构建）。');
    }
    const relative = path.normalize(urlPath).replace(/^(\.\.[/\\])+/, '').replace(/^[/\\]+/, '');
    const file = path.join(dist!, relative);
    if (relative && file.startsWith(dist!) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      // Vite fingerprints everything under assets/, so those never change under one name.
      const immutable = relative.startsWith('assets/');
      return reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache').sendFile(relative);
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
