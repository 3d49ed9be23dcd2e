import path from 'node:path';
import { z } from 'zod';

// The one place environment variables are read. A wrong value stops start-up with a message
// naming the variable, before anything touches the database.

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(12),
  /** Marks cookies Secure. Set it when Clearlane is served over HTTPS (directly or behind a proxy). */
  COOKIE_SECURE: bool.default(false),
  /** Trust X-Forwarded-For from a reverse proxy for client IPs. */
  TRUST_PROXY: bool.default(false),
  DEMO_PASSWORD: z.string().min(10).optional(),
  PG_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  /**
   * The ledger's name in its signed checkpoints (C2SP origin line, also the signing key's name).
   * It is the log's identity: set it once per deployment (e.g. `clearlane/chengqu-brigade`) and
   * never change it, or earlier checkpoints no longer verify against it.
   */
  LEDGER_ORIGIN: z
    .string()
    .max(200)
    .regex(/^[^\s+\u0085]+$/u, 'must be non-empty, without spaces or "+"')
    .default('clearlane/operation-ledger'),
  /** PEM file of the Ed25519 checkpoint signing key; default DATA_DIR/ledger-signing-key.pem, created on first need. */
  LEDGER_KEY_FILE: z.string().min(1).optional(),
  /** The running server signs a checkpoint once this many entries have been added since the last one… */
  CHECKPOINT_EVERY_ENTRIES: z.coerce.number().int().min(1).max(10_000_000).default(1000),
  /** …or once this many seconds have passed since the last one and there is anything new. */
  CHECKPOINT_EVERY_SECONDS: z.coerce.number().int().min(1).max(7 * 24 * 3600).default(300),
});

export type Config = z.infer<typeof schema> & { dataDir: string };

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const parsed = schema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? '?');
      const shown = name === 'DATABASE_URL' || name === 'DEMO_PASSWORD' ? '(hidden)' : JSON.stringify(picked[name]);
      return `  ${name}=${shown}: ${i.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.DATA_DIR) };
}

export const DEFAULT_DEMO_PASSWORD = 'Clearlane@2026';
