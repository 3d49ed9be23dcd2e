import { z } from 'zod';
import { sql } from 'kysely';
import { PUBLIC } from '../authz/access.ts';
import type { App, AppDeps } from './app.ts';

export function registerHealthRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/health',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['系统'],
        summary: '健康检查',
        response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']), version: z.string() }) },
      },
    },
    async () => {
      await sql`SELECT 1`.execute(deps.database.db);
      return { status: 'ok' as const, database: deps.database.kind, version: deps.version };
    },
  );
}
