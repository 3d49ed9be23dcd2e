// `npm run bench [-- name…]`: every benchmark prints its figure as a ratio against a limit measured
// in the same run. Benchmarks are not tests and never run in CI. Names filter by substring:
// `npm run bench -- ledger` runs only the ledger's.
import { personnelListBench } from './personnel-list.bench.ts';
import { ledgerAppendBench } from './ledger-append.bench.ts';
import { ledgerTreeBench } from './ledger-tree.bench.ts';
import { enforcementIngestBench } from './enforcement-ingest.bench.ts';
import { enforcementImportBench } from './enforcement-import.bench.ts';
import { enforcementAccuracyBench } from './enforcement-accuracy.bench.ts';
import { deviceAnomalyBench } from './device-anomaly.bench.ts';
import { deviceGateBench } from './device-gate.bench.ts';
import { lookupRulesBench } from './lookup-rules.bench.ts';

const BENCHES: Record<string, () => Promise<void>> = {
  'personnel-list': personnelListBench,
  'ledger-append': ledgerAppendBench,
  'ledger-tree': ledgerTreeBench,
  'enforcement-ingest': enforcementIngestBench,
  'enforcement-import': enforcementImportBench,
  'enforcement-accuracy': enforcementAccuracyBench,
  'device-anomaly': deviceAnomalyBench,
  'device-gate': deviceGateBench,
  'lookup-rules': lookupRulesBench,
};

const filters = process.argv.slice(2);
const chosen = Object.entries(BENCHES).filter(([name]) => filters.length === 0 || filters.some((f) => name.includes(f)));
if (chosen.length === 0) {
  console.error(`no benchmark matches ${filters.join(' ')}; known: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(1);
}
for (const [name, run] of chosen) {
  console.log(`\n▶ ${name}`);
  await run();
}
