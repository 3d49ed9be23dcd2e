import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { serializerCompiler } from './serializer.ts';
import type { Config } from '../../config.ts';
import type { Database } from '../db/database.ts';
import type { Access } from '../authz/access.ts';
import { describeAccess } from '../authz/access.ts';
import type { Principal } from '../authz/principal.ts';
import type { RequestContext } from '../../modules/ledger/ledger.service.ts';
import { installErrorHandling } from './error-handler.ts';
import { installAccessControl, type SessionState } from './access-control.ts';
import { registerApiDocs } from './openapi.ts';
import { registerConsole } from './console.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
    session: SessionState | null;
    /** Who acts, for the ledger: the principal, this request's id, the client address. */
    ctx: RequestContext;
  }
}

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

export interface AppDeps {
  database: Database;
  config: Config;
  version: string;
  /** Absolute path of the built console; omit to serve the API only. */
  webDist?: string;
}

export interface RouteDeclaration {
  method: string;
  url: string;
  access: string;
}

export type ModuleRoutes = (app: App, deps: AppDeps) => void;

/** Builds the HTTP app. Routes come from the modules; the app owns the cross-cutting rules. */
export async function buildApp(deps: AppDeps, modules: ModuleRoutes[]): Promise<{ app: App; routes: RouteDeclaration[] }> {
  const { config } = deps;
  const app = Fastify({
    logger: {
      level: config.LOG_LEVEL,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'body.password'],
    },
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    trustProxy: config.TRUST_PROXY,
    bodyLimit: 32 * 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);
  app.decorateRequest('session', null);
  app.decorateRequest('ctx', null as unknown as RequestContext);

  // Access is read once everything is registered: a plugin may declare it for its own routes
  // in an onRoute hook that runs after this one.
  const registered: Array<{ methods: string[]; url: string; config: () => Access | undefined }> = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    registered.push({ methods, url: route.url, config: () => (route.config as { access?: Access } | undefined)?.access });
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd writes its styles at run time (CSS-in-JS).
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: config.COOKIE_SECURE ? [] : null,
      },
    },
    hsts: config.COOKIE_SECURE,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 50 * 1024 * 1024, files: 1, fields: 10 } });
  await app.register(rateLimit, { global: false });

  installErrorHandling(app);
  installAccessControl(app, deps);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });

  await registerApiDocs(app, deps);
  for (const register of modules) await app.register(async (scoped) => register(scoped as App, deps));
  await registerConsole(app, deps);
  await app.ready();
  const routes = registered.flatMap((r) => r.methods.map((method) => ({ method, url: r.url, access: describeAccess(r.config()) })));
  const undeclared = routes.filter((r) => r.access === 'UNDECLARED');
  if (undeclared.length > 0) {
    throw new Error(`Routes without an access declaration (every route must name its permission or be public): ${undeclared.map((r) => `${r.method} ${r.url}`).join(', ')}`);
  }
  return { app, routes };
}

