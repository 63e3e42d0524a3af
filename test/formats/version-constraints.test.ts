import { meetsVersionConstraints } from '../../src/formats/version-constraints';

describe('meetsVersionConstraints (go-version, as Terraform checks an installed module)', () => {
  test.each([
    // [constraints, installed version, met]
    ['2.1.0', '2.1.0', true],
    ['= 2.1.0', '2.1.0', true],
    ['2.1', '2.1.0', true],
    ['2.1.0', '2.1.1', false],
    ['!= 2.1.0', '2.1.0', false],
    ['> 2.1.0', '2.1.1', true],
    ['> 2.1.0', '2.1.0', false],
    ['< 2.1.0', '2.0.9', true],
    ['>= 2.1.0', '2.1.0', true],
    ['<= 2.1.0', '2.1.1', false],
    ['>= 2.0, < 3.0', '2.9.9', true],
    ['>= 2.0, < 3.0', '3.0.0', false],
    ['>=2.0,<3.0', '2.5.0', true],
    // ~> allows the last written segment to grow
    ['~> 2.1', '2.9.0', true],
    ['~> 2.1', '3.0.0', false],
    ['~> 2.1', '2.0.9', false],
    ['~> 2.1.3', '2.1.9', true],
    ['~> 2.1.3', '2.2.0', false],
    ['~> 2.1.3', '2.1.2', false],
    // one written segment: no upper bound (go-version's constraintPessimistic)
    ['~> 2', '7.0.0', true],
    ['~> 2', '1.9.0', false],
    ['v2.1.0', 'v2.1.0', true],
  ])('%j against %s: %s', (constraints, version, met) => {
    expect(meetsVersionConstraints(constraints, version)).toBe(met);
  });

  test.each([
    ['~> 2.1', '2.2.0-beta1'],
    ['>= 2.1.0-rc1', '2.2.0'],
    ['>= latest', '2.2.0'],
    ['2.1.0', 'two'],
    ['=> 2.1.0', '2.1.0'],
    ['', '2.1.0'],
  ])('%j against %s cannot be told (a pre-release, or not a version): undefined', (constraints, version) => {
    expect(meetsVersionConstraints(constraints, version)).toBeUndefined();
  });
});
