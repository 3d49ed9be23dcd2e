import type { ModuleRoutes } from '../platform/http/app.ts';
import { registerHealthRoutes } from '../platform/http/health.ts';
import { registerAuthRoutes } from './auth/auth.routes.ts';
import { registerLedgerRoutes } from './ledger/ledger.routes.ts';
import { registerAccountRoutes } from './org/accounts.routes.ts';
import { registerPersonnelRoutes } from './org/personnel.routes.ts';
import { registerRoleRoutes } from './org/roles.routes.ts';
import { registerUnitRoutes } from './org/units.routes.ts';

/** Every module's routes, in one list: the server and the route-declaration test both use it. */
export const MODULE_ROUTES: ModuleRoutes[] = [
  registerHealthRoutes,
  registerAuthRoutes,
  registerUnitRoutes,
  registerPersonnelRoutes,
  registerAccountRoutes,
  registerRoleRoutes,
  registerLedgerRoutes,
];
