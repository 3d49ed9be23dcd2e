// Server validation errors (`details: [{ path, message }]`) shown on the form fields they name.
import { useState } from 'react';
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

/**
 * A form's `onFinish` that saves: `saving` while the request runs, the server's per-field errors on
 * the fields, `onSaved` with the result. Other failures are already shown by the client.
 */
export function useFormSave<V, R>(form: FormInstance<V>, save: (values: V) => Promise<R>, onSaved: (result: R) => void | Promise<void>) {
  const [saving, setSaving] = useState(false);
  const onFinish = async (values: V) => {
    setSaving(true);
    try {
      await onSaved(await save(values));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      applyFieldErrors(form, e);
    } finally {
      setSaving(false);
    }
  };
  return { saving, onFinish };
}
