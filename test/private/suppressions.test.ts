import { Construct } from 'constructs';
import { findSuppression, recordSuppression, type RecordedSuppression } from '../../src/private/suppressions';

/**
 * The suppression that applies to a construct is the one declared on it or on
 * its nearest ancestor, the last one declared there winning. The answers a
 * caller shares between lookups (`seen`) must never change an answer.
 */
describe('findSuppression', () => {
  function tree() {
    const root = new Construct(undefined as unknown as Construct, 'root');
    const team = new Construct(root, 'team');
    const group = new Construct(team, 'group');
    const a = new Construct(group, 'a');
    const b = new Construct(group, 'b');
    const other = new Construct(root, 'other');
    const c = new Construct(other, 'c');
    recordSuppression(team, { reason: 'team-wide exception, SEC-1' });
    recordSuppression(b, { reason: 'first reason for b, SEC-2' });
    recordSuppression(b, { reason: 'the last one declared wins, SEC-3' });
    return { root, team, group, a, b, other, c, all: [c, a, b, group, team, other, root] };
  }

  const reasonOf = (found: RecordedSuppression | undefined) =>
    found ? `${found.declaredAt}: ${found.reason}` : 'none';

  test('the nearest declaration applies, the last one on a construct winning', () => {
    const { a, b, group, team, c, other, root } = tree();
    expect(reasonOf(findSuppression(a))).toBe('root/team: team-wide exception, SEC-1');
    expect(reasonOf(findSuppression(group))).toBe('root/team: team-wide exception, SEC-1');
    expect(reasonOf(findSuppression(team))).toBe('root/team: team-wide exception, SEC-1');
    expect(reasonOf(findSuppression(b))).toBe('root/team/group/b: the last one declared wins, SEC-3');
    for (const x of [c, other, root]) expect(findSuppression(x)).toBeUndefined();
  });

  test('shared answers give the same answer for every construct, in any order, and remember the constructs walked', () => {
    const { all, a, group } = tree();
    const fresh = all.map((x) => reasonOf(findSuppression(x)));
    for (const order of [all, [...all].reverse(), [a, ...all]]) {
      const seen = new Map<Construct, RecordedSuppression | null>();
      const shared = new Map(order.map((x) => [x, reasonOf(findSuppression(x, seen))]));
      expect(all.map((x) => shared.get(x))).toEqual(fresh);
      // a second lookup of an instance answers from what was remembered for the instance itself
      expect(seen.has(a)).toBe(true);
      expect(seen.has(group)).toBe(true);
    }
  });
});
