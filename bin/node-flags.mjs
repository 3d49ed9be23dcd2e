// Node flags per command. A bulk import keeps nothing between its chunks, but V8's default heap
// limit (a quarter of the machine's memory) lets garbage pile up past a gigabyte before a full
// collection; a cap makes it collect early and keeps a million-row import flat.
export const IMPORT_NODE_FLAGS = ['--max-old-space-size=320'];
