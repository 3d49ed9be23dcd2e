import { Readable } from 'node:stream';

/** One physical row of the sheet before header matching: cells in column order, untrimmed. */
export type RawRow = {
  /** Row number as Excel shows it (1-based, counting empty rows). */
  row: number;
  cells: readonly string[];
};

export function toReadable(stream: NodeJS.ReadableStream): Readable {
  return stream instanceof Readable ? stream : new Readable().wrap(stream);
}

/**
 * Lets the rest of the input flow to nowhere once we stop reading. An upload stream left paused
 * would stall the multipart parser and with it the HTTP request, so we drain rather than stop;
 * errors after this point (client gone mid-drain) have nobody left to report to.
 */
export function drainSource(source: Readable): void {
  if (source.readableEnded || source.destroyed) return;
  source.unpipe();
  source.on('error', ignore);
  source.on('data', ignore);
  source.resume();
}

function ignore(): void {}
