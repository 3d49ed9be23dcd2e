// Server validation errors (`details: [{ path, message }]`) shown on the form fields they name.
import type { FormInstance } from 'antd';
import { ApiError } from './client.ts';

/** `body.roles.0`, `/roles/0`, `roles[0]` → `roles` */
function fieldOf(path: string): string | undefined {
  const parts = path.split(/[./[\]]/).filter((p) => p && p !== 'body' && p !== 'query');
  return parts[0];
}

/** Puts each detail on its field when the form has one; returns how many landed on a field. */
export function applyFieldErrors(form: FormInstance, err: ApiError): number {
  const known = new Set(form.getFieldsError().map((f) => String(f.name[0])));
  const byField = new Map<string, string[]>();
  for (const d of err.details) {
    const field = fieldOf(d.path);
    if (!field || !known.has(field)) continue;
    byField.set(field, [...(byField.get(field) ?? []), d.message]);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return byField.size;
}

/** Runs a save; on an API error marks the fields it names and resolves to undefined. */
export async function saveWithFieldErrors<T>(form: FormInstance, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof ApiError) {
      applyFieldErrors(form, e);
      return undefined;
    }
    throw e;
  }
}
