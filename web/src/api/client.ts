// The one way the console talks to the server: same-origin cookie session, CSRF header on every
// state-changing request, the server's error body turned into an ApiError whose message is shown
// to the user, and a 401 sending the user back to the login page.
import type { ErrorBody } from '@contracts/common.ts';
import { t } from '../locales/zh-CN.ts';

export type Query = Record<string, string | number | boolean | null | undefined>;
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** do not show the error message (the caller shows it its own way) */
  silent?: boolean;
  /** a 401 is an answer, not an expired session (login, the first `me`) */
  allow401?: boolean;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: NonNullable<ErrorBody['details']>;
  readonly requestId: string | undefined;
  readonly retryAfter: string | null;
  constructor(status: number, body: Partial<ErrorBody>, retryAfter: string | null = null) {
    super(body.message || `${t.networkError}（HTTP ${status}）`);
    this.status = status;
    this.code = body.code ?? 'HTTP_' + status;
    this.details = body.details ?? [];
    this.requestId = body.requestId;
    this.retryAfter = retryAfter;
  }
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Notify = (text: string) => void;
let notifyError: Notify = (text) => console.error(text);
let onUnauthenticated: () => void = () => window.location.assign('/login');
/** Wired once by the app shell: how errors are shown and what a 401 does. */
export function configureClient(opts: { notifyError?: Notify; onUnauthenticated?: () => void }): void {
  if (opts.notifyError) notifyError = opts.notifyError;
  if (opts.onUnauthenticated) onUnauthenticated = opts.onUnauthenticated;
}

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function send(method: Method, path: string, opts: RequestOptions, body?: BodyInit): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let payload = body;
  if (payload === undefined && opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    const err = new ApiError(0, { code: 'NETWORK', message: t.networkError });
    if (!opts.silent) notifyError(err.message);
    throw err;
  }
  if (res.ok) return res;
  const err = await toApiError(res);
  if (res.status === 401 && !opts.allow401) {
    onUnauthenticated();
    if (!opts.silent) notifyError(t.sessionExpired);
  } else if (!opts.silent) {
    const withId = err.requestId && res.status >= 500 && !err.message.includes(err.requestId);
    notifyError(withId ? `${err.message}（请求编号 ${err.requestId}）` : err.message);
  }
  throw err;
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> = {};
  try {
    const parsed: unknown = await res.json();
    if (parsed && typeof parsed === 'object') body = parsed as Partial<ErrorBody>;
  } catch {
    // not JSON (a proxy's error page): the status alone says what happened
  }
  return new ApiError(res.status, body, res.headers.get('retry-after'));
}

async function json<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(method, path, opts);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, opts: RequestOptions = {}) => json<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts: RequestOptions = {}) => json<T>('POST', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown, opts: RequestOptions = {}) => json<T>('PATCH', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown, opts: RequestOptions = {}) => json<T>('PUT', path, { ...opts, body }),
  del: <T>(path: string, opts: RequestOptions = {}) => json<T>('DELETE', path, opts),

  /** multipart upload of one file under the field name `file` */
  async upload<T>(path: string, file: File, opts: RequestOptions = {}): Promise<T> {
    const form = new FormData();
    form.append('file', file, file.name);
    const res = await send('POST', path, opts, form);
    return (await res.json()) as T;
  },

  /** GET a file (xlsx export, import template) and hand it to the browser as a download. */
  async download(path: string, query?: Query, fallbackName = 'download.xlsx'): Promise<void> {
    const res = await send('GET', path, { query });
    const blob = await res.blob();
    const name = filenameFrom(res.headers.get('content-disposition')) ?? fallbackName;
    const href = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = href;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 10_000);
  },
};

/** `attachment; filename="x.xlsx"; filename*=UTF-8''%E4%BA%BA%E5%91%98.xlsx` → the best name given. */
export function filenameFrom(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (star?.[2]) {
    try {
      return decodeURIComponent(star[2].trim().replace(/^"|"$/g, ''));
    } catch {
      // malformed encoding: fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  const name = plain?.[2] ?? plain?.[1];
  return name ? name.trim() : null;
}
