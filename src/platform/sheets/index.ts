export { type ColumnSpec, defineColumns } from './columns.ts';
export { SheetError, type SheetErrorReason } from './errors.ts';
export { type SheetInput, type SheetRow, readSheetRows } from './read.ts';
export type { TableRow, TableRows } from './write-values.ts';
export {
  type SheetFormat,
  type TableOptions,
  contentTypeFor,
  filenameFor,
  streamTable,
  writeTable,
  writeTemplate,
} from './write.ts';
