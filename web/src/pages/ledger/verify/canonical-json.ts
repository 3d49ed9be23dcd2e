// RFC 8785 JSON Canonicalization Scheme (JCS), written for the console so the browser can rebuild
// a ledger leaf from the entry it displays without trusting the server's encoder.
//
//   - no whitespace;
//   - object members sorted by their names as arrays of UTF-16 code units (§3.2.3), at every depth;
//   - strings serialised as ECMAScript JSON.stringify does (§3.2.2.2: \b \t \n \f \r \" \\ as
//     two-character escapes, other controls as \u00xx in lower case, everything else literal);
//   - numbers as ECMAScript Number-to-String (§3.2.2.3: shortest round trip, 1e+21, -0 → 0);
//     NaN and ±Infinity have no JSON form and are refused.
// The result is UTF-8 encoded by the caller (`canonicalJsonBytes`).

import { utf8 } from './bytes.ts';

export class CanonicalJsonError extends Error {
  override name = 'CanonicalJsonError';
}

/** Compares two strings by UTF-16 code units, as RFC 8785 §3.2.3 asks (not by code points or locale). */
export function compareUtf16(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

const SHORT_ESCAPES: Record<number, string> = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r', 0x22: '\\"', 0x5c: '\\\\' };

export function serializeString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const short = SHORT_ESCAPES[c];
    if (short) out += short;
    else if (c < 0x20) out += '\\u' + c.toString(16).padStart(4, '0');
    else if (c >= 0xd800 && c <= 0xdfff) {
      // A well-formed surrogate pair is written as is; a lone surrogate cannot be UTF-8 encoded.
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
      } else throw new CanonicalJsonError(`字符串含孤立代理项 U+${c.toString(16).toUpperCase()}`);
    } else out += s[i]!;
  }
  return out + '"';
}

export function serializeNumber(n: number): string {
  if (!Number.isFinite(n)) throw new CanonicalJsonError(`不是 JSON 数值：${n}`);
  if (Object.is(n, -0)) return '0';
  // ECMAScript Number::toString is exactly the algorithm RFC 8785 §3.2.2.3 prescribes.
  return String(n);
}

function serialize(value: unknown, depth: number): string {
  if (depth > 1000) throw new CanonicalJsonError('嵌套过深');
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return serializeNumber(value);
    case 'string':
      return serializeString(value);
    case 'object': {
      if (Array.isArray(value)) return '[' + value.map((v) => serialize(v, depth + 1)).join(',') + ']';
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) break;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort(compareUtf16);
      return '{' + keys.map((k) => serializeString(k) + ':' + serialize(obj[k], depth + 1)).join(',') + '}';
    }
  }
  throw new CanonicalJsonError(`不是 JSON 值：${Object.prototype.toString.call(value)}`);
}

/** RFC 8785 canonical text of a plain JSON value (as JSON.parse returns it). */
export function canonicalJson(value: unknown): string {
  return serialize(value, 0);
}

/** RFC 8785 canonical form in UTF-8: the bytes that are hashed. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return utf8(canonicalJson(value));
}
