import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { ResolvedScope } from './principal.ts';

/**
 * The data-scope predicate for a row that belongs to a unit and optionally to a person. Always
 * parameterised: unit ids travel as one array parameter, never as concatenated SQL.
 */
export function inScope<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  scope: ResolvedScope,
  unitColumn: string,
  personColumn?: string,
): Expression<SqlBool> {
  if (scope.all) return sql<boolean>`true`;
  const ors: Expression<SqlBool>[] = [];
  if (scope.unitIds.length > 0) ors.push(sql<boolean>`${sql.ref(unitColumn)} = ANY(${scope.unitIds})`);
  if (personColumn && scope.selfPersonId !== null) ors.push(sql<boolean>`${sql.ref(personColumn)} = ${scope.selfPersonId}`);
  return ors.length === 0 ? sql<boolean>`false` : eb.or(ors);
}

export function unitInScope(scope: ResolvedScope, unitId: number): boolean {
  return scope.all || scope.unitIds.includes(unitId);
}
