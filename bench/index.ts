// `npm run bench`: every benchmark prints its figure as a ratio against a limit measured in the
// same run. Benchmarks are not tests and never run in CI.
import { personnelListBench } from './personnel-list.bench.ts';

await personnelListBench();
