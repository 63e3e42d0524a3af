export { DmsGuardScanError, isDmsGuardScanError } from './scan-error';
export { scan, collectInputs, judgeInstances, judgeAgainstLive, type ScanOptions, type ScanResult } from './scan';
export { readInput, detectDocumentKind, type InputKind, type ReadInputOptions, type ScannedInput } from './scan-inputs';
export {
  groupByIdentifier,
  type InstanceSource,
  type ObservedInstance,
  type ObservedSourceEndpoint,
} from '../formats/observed-instance';
export {
  formatFindings,
  formatMarkdown,
  formatText,
  scanSummaryLine,
  SCAN_FORMATS,
  type ScanFormat,
  type ScanJsonReport,
  type ScanReportExtras,
} from './formatters';
