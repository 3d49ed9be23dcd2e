import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { SIGNED_IN, type Access } from '../authz/access.ts';
import type { App, AppDeps } from './app.ts';

/** OpenAPI generated from the same zod schemas that validate requests; browsable when signed in. */
export async function registerApiDocs(app: App, deps: AppDeps) {
  await app.register(swagger, {
    openapi: {
      info: { title: 'Clearlane 交警执法监督平台 API', version: deps.version },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'clearlane_sid' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
    hideUntagged: false,
  });
  app.get('/api/openapi.json', { config: { access: SIGNED_IN }, schema: { hide: true } }, async () => app.swagger());
  await app.register(async (docs) => {
    // The UI's own asset routes are declared here, once, rather than left undeclared.
    docs.addHook('onRoute', (route) => {
      route.config = { ...(route.config as object), access: SIGNED_IN satisfies Access };
    });
    await docs.register(swaggerUi, { routePrefix: '/api/docs' });
  });
}
