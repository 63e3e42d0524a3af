/**
 * What the guard keeps on each stack it guards: the guards and what they
 * cover, and what the latest `toTerraform()` showed about the stack's DMS
 * blocks (the constructs behind them, what fix mode rewrote).
 */
import type { IConstruct } from 'constructs';
import type { DmsGuardFinding } from '../finding';
import type { FixRecord, GuardLike } from './final-check';
import type { ElementConstruct } from './stack-config';
import type { RecordedSuppression } from './suppressions';
import type { SynthRecord } from './synth-ledger';

/** A guard as the stacks know it. */
export interface StackGuard extends GuardLike {
  /** Receives the guard's findings for one stack, replacing those of an earlier synth. */
  receiveFindings(stack: IConstruct, findings: DmsGuardFinding[]): void;
}

/** A guard on a stack, with the construct it was applied to. */
export interface Coverage {
  readonly guard: StackGuard;
  /** The stack, a construct in it, or an ancestor of it. */
  readonly scope: IConstruct;
}

/** The guard's state of one stack. */
export interface StackState {
  readonly coverage: Coverage[];
  /** What fix mode rewrote in the latest configuration, by address. */
  fixes: Map<string, FixRecord>;
  /** Constructs behind the DMS blocks of the latest configuration, by the block's address. */
  constructs: Map<string, ElementConstruct>;
  /**
   * What `findSuppression` answered, by construct (and ancestor; `null` for
   * none), when the guards wrote the notes into the configuration
   * `toTerraform()` last returned, and the synth (its manifest) that happened
   * in, if any. The final check of that synth backs the notes with the same
   * answers; any other judgement reads the declarations again.
   */
  suppressions?: {
    readonly synth: object | undefined;
    readonly answers: Map<IConstruct, RecordedSuppression | null>;
  };
  /**
   * Addresses of the DMS replication instance resource blocks in the
   * configuration the stack's `toTerraform()` last returned: the written
   * files, read as Terraform reads them, must hold every one, or the stack
   * cannot be judged.
   */
  produced?: readonly string[];
  /** The manifest of the synth in progress, from the stack's entry until its final check. */
  manifest?: object;
  /** The safety net's record of the stack's latest synth. */
  record?: SynthRecord;
  /** A guard judging the stack once, for `DmsGuard.check`: it sees the stack's guards' changes, and no one sees its verdicts. */
  probe?: Coverage;
  /**
   * The hashicorp/aws version the stack's latest configuration requires
   * (`terraform.required_providers.aws.version`, which cdktf and cdktn write
   * from the prebuilt provider), for the consequences a finding states.
   */
  awsProvider?: string;
}

const STATE = Symbol.for('cdktf-dms-guard/stack-state');

/** The guard state of a stack, if the guard is attached to it. */
export function stateOf(stack: IConstruct): StackState | undefined {
  return (stack as unknown as { [STATE]?: StackState })[STATE];
}

/** Creates the guard state of a stack. */
export function createState(stack: IConstruct): StackState {
  const state: StackState = { coverage: [], fixes: new Map(), constructs: new Map() };
  Object.defineProperty(stack, STATE, { value: state, enumerable: false, configurable: true, writable: true });
  return state;
}
