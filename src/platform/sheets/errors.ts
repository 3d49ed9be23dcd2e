export type SheetErrorReason =
  | 'UNSUPPORTED_FORMAT'
  | 'EMPTY_FILE'
  | 'MISSING_HEADERS'
  | 'DUPLICATE_HEADER'
  | 'BAD_ENCODING'
  | 'MALFORMED_CSV'
  | 'CORRUPT_XLSX';

/**
 * A problem with the uploaded file that the user can fix; `message` is zh-CN and safe to show
 * as is (HTTP layer: 400 BAD_REQUEST). Failures of the input stream itself (aborted upload,
 * size limit) are deliberately not wrapped, so they keep their own type and status.
 */
export class SheetError extends Error {
  override readonly name = 'SheetError';
  readonly reason: SheetErrorReason;
  /** Row number as shown in Excel, when the problem is tied to one row. */
  readonly row: number | undefined;

  constructor(message: string, reason: SheetErrorReason, options: { row?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.row = options.row;
  }
}
