export declare const IMPORT_NODE_FLAGS: string[];
