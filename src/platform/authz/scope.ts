import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import type { ResolvedScope } from './principal.ts';

/**
 * The data-scope predicate for a row that belongs to a unit and optionally to a person. Always
 * parameterised: unit ids travel as one array parameter, never as concatenated SQL. Usable in a
 * Kysely `where` and inside a `sql` template alike.
 */
export function scopeCondition(scope: ResolvedScope, unitColumn: string, personColumn?: string): RawBuilder<SqlBool> {
  if (scope.all) return sql<SqlBool>`true`;
  const ors: RawBuilder<unknown>[] = [];
  if (scope.unitIds.length > 0) ors.push(sql`${sql.ref(unitColumn)} = ANY(${scope.unitIds})`);
  if (personColumn && scope.selfPersonId !== null) ors.push(sql`${sql.ref(personColumn)} = ${scope.selfPersonId}`);
  return ors.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(${sql.join(ors, sql` OR `)})`;
}

/** `scopeCondition` in the shape `where((eb) => …)` callers use. */
export function inScope<DB, TB extends keyof DB>(
  _eb: ExpressionBuilder<DB, TB>,
  scope: ResolvedScope,
  unitColumn: string,
  personColumn?: string,
): Expression<SqlBool> {
  return scopeCondition(scope, unitColumn, personColumn);
}

export function unitInScope(scope: ResolvedScope, unitId: number): boolean {
  return scope.all || scope.unitIds.includes(unitId);
}
