import { runFrameworkBenchmarks, frameworkTableRows } from './frameworks';
const rows = runFrameworkBenchmarks('full', true, (l: string) => process.stdout.write(`${l}\n`));
console.log(JSON.stringify(frameworkTableRows(rows)));
