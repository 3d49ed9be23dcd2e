// Child process of the import-RSS benchmark: imports one file the way `clearlane import records`
// does, then prints its own peak resident set size. Run alone, so the figure is the import's.
import { importRecordsFile } from '../src/cli/import.ts';
import { loadConfig } from '../src/config.ts';
import { prepareDatabase } from '../src/server.ts';

const database = await prepareDatabase(loadConfig());
const started = performance.now();
const { report } = await importRecordsFile(database, process.argv[2]!, { progress: false });
const seconds = (performance.now() - started) / 1000;
await database.close();
console.log(JSON.stringify({ rows: report.total, created: report.created, rejected: report.rejected, seconds, maxRssKiB: process.resourceUsage().maxRSS }));
