import { Readable, pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { SheetError } from './errors.ts';
import type { RawRow } from './source.ts';

// Enough bytes to contain the header row and a few data rows, where a GBK file shows itself.
const SNIFF_BYTES = 64 * 1024;
// A file without line breaks (or with an unclosed quote) would otherwise be held in memory whole.
const MAX_RECORD_CHARS = 1024 * 1024;

/**
 * Records of a CSV stream. Each record is one Excel row: a quoted field may span several
 * lines of text, and blank lines still count, exactly as Excel numbers them when it opens the file.
 */
export async function* readCsvCells(source: Readable): AsyncGenerator<RawRow> {
  const parser = parse({
    relax_column_count: true,
    // Excel opens `张"三` as literal text; so do we.
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_CHARS,
  });
  // destroyOnReturn: false — when the caller stops early, the source is drained, not destroyed.
  const chunks = { [Symbol.asyncIterator]: () => source.iterator({ destroyOnReturn: false }) };
  pipeline(Readable.from(decodeText(chunks)), parser, () => {
    // Failures surface through the parser's iterator below.
  });

  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row += 1;
      yield { row, cells: record };
    }
  } catch (error) {
    throw error instanceof CsvError ? malformed(error, row) : error;
  }
}

function malformed(error: CsvError, rowsConsumed: number): SheetError {
  // The parser may be records ahead of our consumer; its own count is the accurate one.
  const row = (typeof error.records === 'number' ? error.records : rowsConsumed) + 1;
  const message =
    error.code === 'CSV_MAX_RECORD_SIZE'
      ? `第 ${row} 行内容过长，可能有未闭合的引号`
      : error.code === 'CSV_QUOTE_NOT_CLOSED'
        ? `第 ${row} 行起的引号未闭合`
        : `第 ${row} 行 CSV 格式错误`;
  return new SheetError(message, 'MALFORMED_CSV', { row, cause: error });
}

/**
 * Bytes → text. Chinese Excel saves "CSV (逗号分隔)" in the system code page (GBK), newer
 * Excel and most tools in UTF-8, so the encoding is decided from the first bytes: valid UTF-8
 * → UTF-8 (BOM dropped), anything else → GB18030, the superset of GBK and GB2312.
 */
export async function* decodeText(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const head: Buffer[] = [];
  let headBytes = 0;
  let decoder: TextDecoder | undefined;
  for await (const chunk of chunks) {
    let bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (!decoder) {
      head.push(bytes);
      headBytes += bytes.length;
      if (headBytes < SNIFF_BYTES) continue;
      bytes = Buffer.concat(head.splice(0));
      decoder = decoderFor(bytes);
    }
    const text = decode(decoder, bytes);
    if (text) yield text;
  }
  const rest = Buffer.concat(head);
  decoder ??= decoderFor(rest);
  const text = decode(decoder, rest) + decode(decoder);
  if (text) yield text;
}

function decoderFor(head: Uint8Array): TextDecoder {
  try {
    // stream: true — a multi-byte character cut off at the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return new TextDecoder('gb18030');
  }
  // fatal, so a file that turns out not to be UTF-8 after the sample fails loudly instead of
  // importing replacement characters.
  return new TextDecoder('utf-8', { fatal: true });
}

function decode(decoder: TextDecoder, bytes?: Uint8Array): string {
  try {
    return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
  } catch (error) {
    throw new SheetError('无法识别文件的字符编码，请将文件另存为 UTF-8 或 GBK 编码的 CSV 后重试', 'BAD_ENCODING', {
      cause: error,
    });
  }
}
