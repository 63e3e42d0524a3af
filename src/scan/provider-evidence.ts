/**
 * Which hashicorp/aws provider version a scanned input uses, as the files
 * beside it tell: the version `.terraform.lock.hcl` selected, else the
 * `required_providers` constraint of the root module's configuration files
 * (cdktf and cdktn write the exact version their prebuilt provider package
 * wraps there). Read only for findings whose consequences depend on it, once
 * per folder.
 */
import * as fs from 'fs';
import * as path from 'path';
import { awsProviderInConfig, awsProviderInLockFile, type AwsProviderEvidence } from '../rules/aws-provider-versions';

/** The lock file Terraform and OpenTofu write beside a root module. */
export const LOCK_FILE = '.terraform.lock.hcl';

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The `version` of `aws` in a `required_providers` block of an HCL file, read
 * from the text (the value only words the consequences; when it cannot be read
 * they say that it depends on the provider version).
 *
 * @param text the file's text
 */
export function awsProviderInHcl(text: string): string | undefined {
  const pattern = /required_providers\s*\{/g;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 4000);
    const aws = /(?:^|[\s{])aws\s*=\s*\{([^{}]*)\}/.exec(after);
    const version = aws ? /(?:^|[\s,{])version\s*=\s*"([^"]+)"/.exec(aws[1]) : null;
    if (version) return version[1];
  }
  return undefined;
}

/** Looks up, and remembers per folder, the AWS provider version of the root module a file belongs to. */
export class AwsProviderLookup {
  private readonly byFolder = new Map<string, AwsProviderEvidence | null>();

  /**
   * @param cwd the folder displayed paths are relative to
   */
  public constructor(private readonly cwd: string = process.cwd()) {}

  /**
   * The provider version for the root module that holds a file (a
   * configuration file, a stack's `cdk.tf.json`, a plan), or `undefined`
   * when nothing beside it tells.
   *
   * @param file the file, as findings display it (relative to the working directory)
   */
  public of(file: string): AwsProviderEvidence | undefined {
    const folder = path.dirname(path.resolve(this.cwd, file));
    let found = this.byFolder.get(folder);
    if (found === undefined) {
      found = this.read(folder) ?? null;
      this.byFolder.set(folder, found);
    }
    return found ?? undefined;
  }

  private display(file: string): string {
    const relative = path.relative(this.cwd, file);
    return toPosix(relative.startsWith('..') || path.isAbsolute(relative) ? file : relative);
  }

  private read(folder: string): AwsProviderEvidence | undefined {
    const lockFile = path.join(folder, LOCK_FILE);
    const lock = readText(lockFile);
    const locked = lock !== undefined ? awsProviderInLockFile(lock) : undefined;
    if (locked !== undefined) return { version: locked, from: this.display(lockFile) };
    let names: string[];
    try {
      names = fs.readdirSync(folder).sort();
    } catch {
      return undefined;
    }
    for (const name of names) {
      if (!name.endsWith('.tf.json') && name !== 'cdk.tf.json' && !name.endsWith('.tf')) continue;
      const file = path.join(folder, name);
      const text = readText(file);
      if (text === undefined || !text.includes('required_providers')) continue;
      let config: unknown;
      if (name.endsWith('.json')) {
        try {
          config = JSON.parse(text);
        } catch {
          continue;
        }
      }
      const version = name.endsWith('.json') ? awsProviderInConfig(config) : awsProviderInHcl(text);
      if (version !== undefined) return { version, from: `required_providers in ${this.display(file)}` };
    }
    return undefined;
  }
}
