import {
  TASK_MOVE_MIN_AWS_PROVIDER,
  awsProviderInConfig,
  awsProviderInLockFile,
  awsProviderOfPackage,
  taskChangeForAwsProvider,
} from '../../src/rules/aws-provider-versions';

describe('taskChangeForAwsProvider: replication_instance_arn stopped being ForceNew in 5.32.0', () => {
  test('the version is the one of the provider changelog', () => {
    expect(TASK_MOVE_MIN_AWS_PROVIDER).toBe('5.32.0');
  });

  test.each([
    ['5.31.0', 'replaced'],
    ['4.67.0', 'replaced'],
    ['5.32.0', 'moved'],
    ['5.100.0', 'moved'],
    ['6.25.0', 'moved'],
    ['~> 4.0', 'replaced'],
    ['< 5.32.0', 'replaced'],
    ['<= 5.31.9', 'replaced'],
    ['>= 5.0, < 5.32', 'replaced'],
    ['~> 6.0', 'moved'],
    ['>= 5.32.0', 'moved'],
    ['~> 5.32.1', 'moved'],
    ['~> 5.0', 'depends-on-provider-version'],
    ['>= 5.0', 'depends-on-provider-version'],
    ['<= 5.32.0', 'depends-on-provider-version'],
    ['~> 5', 'depends-on-provider-version'],
    ['latest', 'depends-on-provider-version'],
    ['', 'depends-on-provider-version'],
  ])('%s: %s', (version, expected) => {
    expect(taskChangeForAwsProvider(version)).toBe(expected);
  });

  test('no version: it depends', () => {
    expect(taskChangeForAwsProvider(undefined)).toBe('depends-on-provider-version');
  });
});

describe('the AWS provider a prebuilt provider package wraps', () => {
  test.each([
    ['@cdktf/provider-aws', '18.2.0', 'replaced'],
    ['@cdktf/provider-aws', '19.0.0', 'replaced'],
    ['@cdktf/provider-aws', '19.1.0', 'moved'],
    ['@cdktf/provider-aws', '20.1.0', 'moved'],
    ['@cdktf/provider-aws', '21.22.1', 'moved'],
    ['@cdktn/provider-aws', '25.7.0', 'moved'],
    ['@cdktf/provider-aws', '13.0.0', 'replaced'],
  ])('%s@%s: tasks %s', (pkg, version, expected) => {
    expect(taskChangeForAwsProvider(awsProviderOfPackage(pkg, version))).toBe(expected);
  });

  test('another package, or a version outside the table: unknown', () => {
    expect(awsProviderOfPackage('@cdktf/provider-google', '1.0.0')).toBeUndefined();
    expect(awsProviderOfPackage('@cdktf/provider-aws', '99.0.0')).toBeUndefined();
  });
});

describe('where the version is read', () => {
  test('the lock file', () => {
    const lock = [
      '# This file is maintained automatically by "terraform init".',
      'provider "registry.terraform.io/hashicorp/random" {',
      '  version = "3.6.0"',
      '}',
      'provider "registry.terraform.io/hashicorp/aws" {',
      '  version     = "5.100.0"',
      '  constraints = ">= 5.0.0"',
      '  hashes = [',
      '    "h1:abc=",',
      '  ]',
      '}',
    ].join('\n');
    expect(awsProviderInLockFile(lock)).toBe('5.100.0');
    expect(
      awsProviderInLockFile('provider "registry.terraform.io/hashicorp/random" { version = "1" }'),
    ).toBeUndefined();
  });

  test('required_providers of a JSON configuration, as cdktf writes it', () => {
    expect(
      awsProviderInConfig({ terraform: { required_providers: { aws: { source: 'aws', version: '6.25.0' } } } }),
    ).toBe('6.25.0');
    expect(
      awsProviderInConfig({
        terraform: [{ required_providers: [{ aws: { source: 'hashicorp/aws', version: '~> 5.0' } }] }],
      }),
    ).toBe('~> 5.0');
    expect(
      awsProviderInConfig({ terraform: { required_providers: { aws: { source: 'someone/aws', version: '1.0' } } } }),
    ).toBeUndefined();
    expect(awsProviderInConfig({})).toBeUndefined();
  });

  test.each([
    ['aws', true],
    ['hashicorp/aws', true],
    ['HashiCorp/AWS', true],
    ['registry.terraform.io/hashicorp/aws', true],
    ['registry.opentofu.org/hashicorp/aws', true],
    ['registry.terraform.io/aws', true],
    ['Registry.Terraform.io/hashicorp/aws', true],
    ['example.com/hashicorp/aws', false],
    ['hashicorp/awscc', false],
    ['registry.terraform.io/someone/aws', false],
    [' hashicorp/aws', false],
  ])('a required_providers source of %j names hashicorp/aws: %s', (source, named) => {
    const version = awsProviderInConfig({ terraform: { required_providers: { aws: { source, version: '5.100.0' } } } });
    expect(version).toBe(named ? '5.100.0' : undefined);
  });
});
