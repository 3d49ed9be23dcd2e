// Test-only helpers shared by the *.test.ts files of this folder; not exported from index.ts.
import { Readable } from 'node:stream';
import { defineColumns } from './columns.ts';
import { type SheetRow, readSheetRows } from './read.ts';

export const personColumns = defineColumns([
  { key: 'badgeNo', header: '警号', aliases: ['警员编号'], example: '012345', note: '6 位数字，前导 0 保留' },
  { key: 'name', header: '姓名', aliases: ['Name'], example: '张三' },
  { key: 'joinedOn', header: '入职日期', example: '2024-03-01' },
  { key: 'remark', header: '备注', required: false },
]);

export type PersonKey = (typeof personColumns)[number]['key'];

/** Every row of a file given as bytes, optionally cut into chunks of `chunkSize` bytes. */
export async function readAll(
  filename: string,
  bytes: Buffer | string,
  options: { chunkSize?: number } = {},
): Promise<SheetRow<PersonKey>[]> {
  const rows: SheetRow<PersonKey>[] = [];
  for await (const row of readSheetRows({ filename, stream: bytesStream(bytes, options.chunkSize) }, personColumns)) {
    rows.push(row);
  }
  return rows;
}

export function bytesStream(bytes: Buffer | string, chunkSize = 64 * 1024): Readable {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < buffer.length; offset += chunkSize) {
    chunks.push(buffer.subarray(offset, offset + chunkSize));
  }
  return Readable.from(chunks);
}

/**
 * GBK encoder built by inverting the GB18030 decoder over the two-byte range, so tests can
 * produce the files Chinese Excel writes without an encoding library.
 */
export function gbkEncoder(): (text: string) => Buffer {
  const pairs: number[] = [];
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) pairs.push(lead, trail);
  }
  const decoded = new TextDecoder('gb18030').decode(Uint8Array.from(pairs));
  if (decoded.length * 2 !== pairs.length) throw new Error('expected one UTF-16 unit per GBK pair');
  const codes = new Map<string, [number, number]>();
  [...decoded].forEach((char, index) => {
    if (!codes.has(char)) codes.set(char, [pairs[index * 2] ?? 0, pairs[index * 2 + 1] ?? 0]);
  });
  return (text) => {
    const bytes: number[] = [];
    for (const char of text) {
      const code = char.charCodeAt(0);
      if (code < 0x80) bytes.push(code);
      else bytes.push(...(codes.get(char) ?? fail(char)));
    }
    return Buffer.from(bytes);
  };
}

function fail(char: string): never {
  throw new Error(`no GBK code for ${char}`);
}
