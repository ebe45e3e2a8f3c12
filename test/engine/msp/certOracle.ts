/**
 * Go's crypto/x509 as an oracle (test/fixtures/go/certoracle, built by .ci/fixtures.sh): the same
 * certificate template through Go's `x509.CreateCertificate`, and chains verified as Fabric's MSP
 * verifies them. One process per test file, one JSON line per question.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as readline from 'node:readline';
import { goFixtureStatus, requireFixture } from '../../support/toolchains';

export interface OracleCreate {
  readonly op: 'create';
  readonly serial: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly subject: Readonly<Record<string, readonly string[]>>;
  readonly isCA: boolean;
  readonly keyUsage: number;
  readonly extKeyUsage?: readonly string[];
  readonly subjectKeyId?: string;
  readonly dnsNames?: readonly string[];
  readonly ips?: readonly string[];
  readonly extra?: readonly { oid: string; critical: boolean; value: string }[];
  readonly publicKey: string;
  readonly parentCert?: string;
  readonly signerKey: string;
}

export interface OracleVerify {
  readonly op: 'verify';
  readonly leaf: string;
  readonly roots: readonly string[];
  readonly intermediates?: readonly string[];
}

export interface OracleAnswer {
  readonly tbs?: string;
  readonly chains: number;
  readonly error?: string;
  readonly ous?: string[];
  readonly subject?: string;
}

export const certOracleStatus = () => goFixtureStatus('certoracle');

export class CertOracle {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((line: string) => void)[] = [];

  constructor() {
    this.child = spawn(requireFixture(certOracleStatus()), [], { stdio: ['pipe', 'pipe', 'pipe'] });
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => this.waiting.shift()?.(line));
  }

  ask(request: OracleCreate | OracleVerify): Promise<OracleAnswer> {
    return new Promise((resolve) => {
      this.waiting.push((line) => resolve(JSON.parse(line) as OracleAnswer));
      this.child.stdin.write(`${JSON.stringify(request)}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}
