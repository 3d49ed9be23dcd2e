import type { ModuleRoutes } from '../platform/http/app.ts';
import type { Tx } from '../platform/db/tx.ts';
import { ensureSampleCatalogue } from './catalogue/catalogue.service.ts';
import { registerEnforcementRoutes } from './enforcement/enforcement.routes.ts';
import { registerDeviceCaptureRoutes } from './devices/captures.routes.ts';
import { registerDeviceRoutes } from './devices/devices.routes.ts';
import type { RequestContext } from './ledger/ledger.service.ts';
import { ensureBuiltInRoles } from './org/roles.service.ts';
import { ensureDefaultRuleSet } from './rules/rule-sets.service.ts';
import { registerRuleSetRoutes } from './rules/rule-sets.routes.ts';
import { registerHealthRoutes } from '../platform/http/health.ts';
import { registerAlertRoutes } from './alerts/alerts.routes.ts';
import { registerAuthRoutes } from './auth/auth.routes.ts';
import { registerCatalogueRoutes } from './catalogue/catalogue.routes.ts';
import { registerLedgerRoutes } from './ledger/ledger.routes.ts';
import { registerAccountRoutes } from './org/accounts.routes.ts';
import { registerPersonnelRoutes } from './org/personnel.routes.ts';
import { registerRoleRoutes } from './org/roles.routes.ts';
import { registerUnitRoutes } from './org/units.routes.ts';
import { ensureDefaultLookupRuleSet } from './lookups/detection.params.ts';
import { registerLookupDetectionRoutes } from './lookups/detection.routes.ts';
import { registerLookupRoutes } from './lookups/lookups.routes.ts';

/** Every module's routes, in one list: the server and the route-declaration test both use it. */
export const MODULE_ROUTES: ModuleRoutes[] = [
  registerHealthRoutes,
  registerAuthRoutes,
  registerUnitRoutes,
  registerPersonnelRoutes,
  registerAccountRoutes,
  registerRoleRoutes,
  registerLedgerRoutes,
  registerAlertRoutes,
  registerCatalogueRoutes,
  registerEnforcementRoutes,
  registerRuleSetRoutes,
  registerDeviceRoutes,
  registerDeviceCaptureRoutes,
  registerLookupRoutes,
  registerLookupDetectionRoutes,
];

/**
 * The reference data every installation needs before it serves anything: built-in roles, the
 * default rule set, and the sample catalogue until a brigade imports its own. Idempotent.
 */
export async function ensureReferenceData(trx: Tx, ctx: RequestContext): Promise<void> {
  await ensureBuiltInRoles(trx, ctx);
  await ensureDefaultRuleSet(trx, ctx);
  await ensureSampleCatalogue(trx, ctx);
  await ensureDefaultLookupRuleSet(trx, ctx);
}
