/**
 * Why two endorsements of one proposal differ, in the words Fabric's gateway logs them with
 * (internal/pkg/gateway/diff.go, logger gateway.responsechecker): chaincode that is not deterministic
 * across endorsers (a timestamp, a random number, map iteration order) shows here as the read, write,
 * event or response that came out differently on each peer.
 */
import { createHash } from 'crypto';
import { argText } from '../peer/arguments';
import type { Simulation } from '../peer/peer';
import type { MetadataWrite, ReadEntry, Version, WriteEntry } from '../ledger/types';

export type DifferenceType =
  | 'read value mismatch'
  | 'extraneous read'
  | 'missing read'
  | 'write value mismatch'
  | 'extraneous write'
  | 'missing write'
  | 'write metadata mismatch'
  | 'write metadata mismatch (SBE policy)'
  | 'private collection hash mismatch'
  | 'chaincode event mismatch'
  | 'chaincode response mismatch';

export interface EndorsementDifference {
  readonly type: DifferenceType;
  readonly namespace?: string;
  readonly collection?: string;
  readonly key?: string;
  /** What the first (reference) endorser produced; null when it has none. */
  readonly initial: string | null;
  /** What the other endorser produced; null when it has none. */
  readonly invoked: string | null;
}

const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';

/** Every difference between the reference endorsement and another, in a stable order; [] when they agree. */
export function endorsementDifferences(initial: Simulation, invoked: Simulation): EndorsementDifference[] {
  const out: EndorsementDifference[] = [];
  const a = initial.response;
  const b = invoked.response;
  if (a.status !== b.status || a.message !== b.message || !a.payload.equals(b.payload)) {
    out.push({ type: 'chaincode response mismatch', initial: responseText(a), invoked: responseText(b) });
  }
  const ea = initial.event;
  const eb = invoked.event;
  if ((ea?.eventName ?? null) !== (eb?.eventName ?? null) || !(ea?.payload ?? Buffer.alloc(0)).equals(eb?.payload ?? Buffer.alloc(0))) {
    out.push({ type: 'chaincode event mismatch', initial: ea ? `${ea.eventName}: ${argText(ea.payload)}` : null, invoked: eb ? `${eb.eventName}: ${argText(eb.payload)}` : null });
  }
  compareKeyed(out, initial.rwset.reads, invoked.rwset.reads, (r) => versionText(r.version), {
    differ: 'read value mismatch',
    extraneous: 'extraneous read',
    missing: 'missing read',
  });
  compareKeyed(out, initial.rwset.writes, invoked.rwset.writes, writeText, {
    differ: (w) => (w.collection ? 'private collection hash mismatch' : 'write value mismatch'),
    extraneous: 'extraneous write',
    missing: 'missing write',
  });
  compareKeyed(
    out,
    initial.rwset.metadataWrites,
    invoked.rwset.metadataWrites,
    (m) => argText(m.value),
    {
      differ: (m) => (m.metakey === VALIDATION_PARAMETER ? 'write metadata mismatch (SBE policy)' : 'write metadata mismatch'),
      extraneous: 'write metadata mismatch',
      missing: 'write metadata mismatch',
    },
    (m) => `\u0000${m.metakey}`,
  );
  return out;
}

type Keyed = Pick<ReadEntry | WriteEntry | MetadataWrite, 'chaincode' | 'collection' | 'key'>;

function compareKeyed<T extends Keyed>(
  out: EndorsementDifference[],
  initial: readonly T[],
  invoked: readonly T[],
  show: (entry: T) => string,
  types: { differ: DifferenceType | ((entry: T) => DifferenceType); extraneous: DifferenceType; missing: DifferenceType },
  extraKey: (entry: T) => string = () => '',
): void {
  const id = (e: T): string => JSON.stringify([e.chaincode, e.collection, e.key]) + extraKey(e);
  const mine = new Map(initial.map((e) => [id(e), e]));
  const theirs = new Map(invoked.map((e) => [id(e), e]));
  const where = (e: T) => ({ namespace: e.chaincode, ...(e.collection ? { collection: e.collection } : {}), key: e.key });
  for (const k of [...new Set([...mine.keys(), ...theirs.keys()])].sort()) {
    const x = mine.get(k);
    const y = theirs.get(k);
    if (x && y) {
      const [sx, sy] = [show(x), show(y)];
      if (sx !== sy) out.push({ type: typeof types.differ === 'function' ? types.differ(x) : types.differ, ...where(x), initial: sx, invoked: sy });
    } else if (y) {
      out.push({ type: types.extraneous, ...where(y), initial: null, invoked: show(y) });
    } else if (x) {
      out.push({ type: types.missing, ...where(x), initial: show(x), invoked: null });
    }
  }
}

function versionText(v: Version | null): string {
  return v ? `{BlockNum: ${v.blockNum}, TxNum: ${v.txNum}}` : '<nil>';
}

/** A public value as text; a private one as the hash Fabric compares (only hashes leave the peer). */
function writeText(w: WriteEntry): string {
  if (w.value === null) return w.purge ? '<purged>' : '<deleted>';
  return w.collection ? `sha256:${createHash('sha256').update(w.value).digest('hex')}` : argText(w.value);
}

function responseText(r: Simulation['response']): string {
  return `status ${r.status}${r.message ? `, message ${JSON.stringify(r.message)}` : ''}, payload ${argText(r.payload)}`;
}
