import { judgePubliclyAccessible, isLivePublic, type Dms1LiveState } from '../rules/dms-1';
import type { ObservedInstance } from '../formats/observed-instance';

/**
 * One deployed replication instance of the live inventory: every live entry
 * with the same ARN (the same instance listed by two inventories, for example
 * state and describe output of one account), or one entry without an ARN.
 * Entries are never dropped: two entries with the same identifier but
 * different ARNs (two regions or accounts) are two instances.
 */
export interface LiveInstance {
  /** The entries, worst value first (then by file and address). */
  readonly entries: readonly ObservedInstance[];
  /**
   * The ARN shared by the entries.
   *
   * @default - the entry has no ARN
   */
  readonly arn?: string;
}

/** Where an ARN says an instance is. */
export interface ArnPlace {
  /** The region, for example `eu-west-1`. */
  readonly region: string;
  /** The account ID. */
  readonly account: string;
}

/**
 * The region and account of an ARN (`arn:<partition>:dms:<region>:<account>:rep:<id>`).
 *
 * @param arn any ARN
 * @returns `undefined` when the text is not an ARN with a region and an account
 */
export function placeOfArn(arn: string): ArnPlace | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[3] === '' || parts[4] === '') return undefined;
  return { region: parts[3], account: parts[4] };
}

const RANK: Record<string, number> = { NON_COMPLIANT: 0, UNKNOWN: 1, COMPLIANT: 2 };

/** How bad a live value is: a public (or unprovable) instance sorts first. */
function rank(entry: ObservedInstance): number {
  if (isLivePublic(entry.observation)) return -1;
  return RANK[judgePubliclyAccessible(entry.observation, { requireExplicit: true }).status] ?? 0;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Worst value first, then by file, address and ARN: the same order whatever order the inventories were given in. */
export function compareLiveEntries(a: ObservedInstance, b: ObservedInstance): number {
  return (
    rank(a) - rank(b) ||
    compareText(a.file, b.file) ||
    compareText(a.address, b.address) ||
    compareText(a.identifier ?? '', b.identifier ?? '') ||
    compareText(a.arn ?? '', b.arn ?? '')
  );
}

/**
 * Groups live entries into instances: entries with the same ARN are one
 * instance, every entry without an ARN is an instance of its own.
 *
 * @param live the entries of every live inventory
 * @returns the instances, in an order that does not depend on the order of the inventories
 */
export function groupLiveInstances(live: readonly ObservedInstance[]): LiveInstance[] {
  const byArn = new Map<string, ObservedInstance[]>();
  const groups: { entries: ObservedInstance[]; arn?: string }[] = [];
  for (const entry of live) {
    if (entry.arn === undefined) {
      groups.push({ entries: [entry] });
      continue;
    }
    const seen = byArn.get(entry.arn);
    if (seen) {
      seen.push(entry);
    } else {
      const entries = [entry];
      byArn.set(entry.arn, entries);
      groups.push({ entries, arn: entry.arn });
    }
  }
  for (const group of groups) group.entries.sort(compareLiveEntries);
  return groups.sort((a, b) => compareLiveEntries(a.entries[0], b.entries[0]));
}

/** The distinct identifiers of an instance's entries, in lower case (AWS stores them in lower case). */
export function identifiersOf(instance: LiveInstance): string[] {
  return [...new Set(instance.entries.flatMap((e) => (e.identifier ? [e.identifier.toLowerCase()] : [])))];
}

/**
 * Names where instances are, for messages: ` in eu-west-1 (account 111122223333), us-east-1 (account ...)`,
 * or an empty string when no ARN is known.
 *
 * @param entries live entries
 */
export function placesText(entries: readonly ObservedInstance[]): string {
  const places = new Set<string>();
  let unknown = 0;
  for (const entry of entries) {
    const place = entry.arn === undefined ? undefined : placeOfArn(entry.arn);
    if (place) places.add(`${place.region} (account ${place.account})`);
    else unknown++;
  }
  if (places.size === 0) return '';
  const sorted = [...places].sort(compareText);
  return ` in ${sorted.join(', ')}${unknown > 0 ? `, and ${unknown} more without a region` : ''}`;
}

/** The matched live state of one code instance, as the rule and the report want it. */
export interface MatchedLive {
  /** For `decideWithLiveState`: public when any matched entry is public, naming the regions. */
  readonly state: Dms1LiveState;
  /** The identifier as the live inventory writes it. */
  readonly identifier: string;
  /** The entry the report shows (the worst). */
  readonly shown: ObservedInstance;
  /** Every matched ARN, sorted. */
  readonly arns: string[];
}

/**
 * Folds every live instance with a code instance's identifier into one live
 * state: public when the identifier is public in any region or account,
 * with the regions and files named; otherwise the worst matched entry.
 *
 * @param identifier the code instance's identifier
 * @param instances the live instances with that identifier
 */
export function matchLive(identifier: string, instances: readonly LiveInstance[]): MatchedLive | undefined {
  const entries = instances.flatMap((i) => i.entries).sort(compareLiveEntries);
  if (entries.length === 0) return undefined;
  const shown = entries[0];
  const liveIdentifier = shown.identifier ?? identifier;
  const arns = [...new Set(entries.flatMap((e) => (e.arn !== undefined ? [e.arn] : [])))].sort(compareText);
  const publicEntries = entries.filter((e) => isLivePublic(e.observation));
  const files = (list: readonly ObservedInstance[]) =>
    [...new Set(list.map((e) => e.file))].sort(compareText).join(', ');
  const state: Dms1LiveState =
    publicEntries.length > 0
      ? {
          identifier: `${liveIdentifier}${placesText(publicEntries)}`,
          observation: publicEntries[0].observation,
          file: files(publicEntries),
        }
      : { identifier: liveIdentifier, observation: shown.observation, file: shown.file };
  return { state, identifier: liveIdentifier, shown, arns };
}

/**
 * Makes the addresses of live-only findings unique: an address that several
 * live instances share (one identifier in two regions, one state address in
 * two accounts) gets the region and account of each, or its file.
 *
 * @param instances live instances, in their sorted order
 * @param taken addresses already used by other findings
 * @returns the address of each instance, in the same order
 */
export function distinctLiveAddresses(instances: readonly LiveInstance[], taken: ReadonlySet<string>): string[] {
  const base = instances.map((i) => i.entries[0].address);
  const count = new Map<string, number>();
  for (const address of base) count.set(address, (count.get(address) ?? 0) + 1);
  const named = instances.map((instance, index) => {
    const address = base[index];
    if ((count.get(address) ?? 0) < 2 && !taken.has(address)) return address;
    const entry = instance.entries[0];
    const place = instance.arn === undefined ? undefined : placeOfArn(instance.arn);
    return place ? `${address} (${place.region}, account ${place.account})` : `${address} (${entry.file})`;
  });
  const used = new Map<string, number>();
  return named.map((address) => {
    const n = (used.get(address) ?? 0) + 1;
    used.set(address, n);
    return n === 1 ? address : `${address} #${n}`;
  });
}
