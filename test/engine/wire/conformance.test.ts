/**
 * Wire conformance of our protobufjs codecs with Fabric's generated classes
 * (@hyperledger/fabric-protos 0.3.7, google-protobuf). For every message type in our .proto files
 * the same message is built independently on both sides, ours from a plain object and theirs
 * through its setters (both driven by protobufjs reflection), and the encodings must be
 * byte-identical. Then each side decodes the other's bytes and the values are compared through
 * getters: google-protobuf keeps unknown fields, so a round trip through their class proves nothing.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fc from 'fast-check';
import * as protobuf from 'protobufjs';
import { codecs, MessageCodec, protoRoot } from '../../../src/engine/wire/codec';
import {
  BlockMetadataIndex,
  HeaderType,
  ImplicitMetaRule,
  MessageType,
  MetaDataKeys,
  PolicyType,
  PrincipalClassification,
  SeekBehavior,
  SeekContentType,
  SeekErrorResponse,
  Status,
  TxValidationCode,
} from '../../../src/engine/wire/messages';

// ---- fabric-protos' classes, reached without their (google-protobuf-typed) declarations ----

type Method = (...args: unknown[]) => unknown;
interface TheirMessage {
  serializeBinary(): Uint8Array;
  toObject(): Record<string, unknown>;
}
interface TheirClass {
  new (): TheirMessage;
  deserializeBinary(bytes: Uint8Array): TheirMessage;
}
interface TheirMap {
  set(key: string, value: unknown): unknown;
  /** Message values come wrapped here (getEntryList would give their raw arrays). */
  forEach(callback: (value: unknown, key: unknown) => void): void;
}

const FABRIC_PROTOS: unknown = require('@hyperledger/fabric-protos');
/** google-protobuf's well-known types (the copy fabric-protos uses: there is only one installed). */
const WELL_KNOWN: Record<string, unknown> = {
  Timestamp: require('google-protobuf/google/protobuf/timestamp_pb'),
  Any: require('google-protobuf/google/protobuf/any_pb'),
};
/** Our proto package → where fabric-protos exports its classes. */
const PACKAGE_PATHS: Record<string, string[]> = {
  protos: ['peer'],
  common: ['common'],
  msp: ['msp'],
  queryresult: ['ledger', 'queryresult'],
  rwset: ['ledger', 'rwset'],
  kvrwset: ['ledger', 'rwset', 'kvrwset'],
  orderer: ['orderer'],
  gateway: ['gateway'],
  'google.rpc': ['google', 'rpc'],
  lifecycle: ['peer', 'lifecycle'],
};

function at(root: unknown, path: readonly string[]): unknown {
  let cur = root;
  for (const p of path) {
    if (cur === null || (typeof cur !== 'object' && typeof cur !== 'function')) throw new Error(`fabric-protos has no ${path.join('.')}`);
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function theirClassFor(type: protobuf.Type): TheirClass {
  const parts = type.fullName.slice(1).split('.');
  const pkg = parts[0] === 'google' ? parts.slice(0, 2).join('.') : parts[0];
  const rest = parts.slice(pkg.split('.').length);
  const cls = pkg === 'google.protobuf' ? at(WELL_KNOWN[rest[0]], rest) : at(FABRIC_PROTOS, [...(PACKAGE_PATHS[pkg] ?? [`<${pkg}?>`]), ...rest]);
  if (typeof cls !== 'function') throw new Error(`no fabric-protos class for ${type.fullName}`);
  return cls as TheirClass;
}

function theirEnum(path: readonly string[]): Record<string, number> {
  return { ...(at(FABRIC_PROTOS, path) as Record<string, number>) };
}

/** A bound method of a google-protobuf object; `$` variants are its renames of reserved names. */
function method(target: object, ...names: string[]): Method {
  const record = target as unknown as Record<string, unknown>;
  for (const name of names.flatMap((n) => [`${n}$`, n])) {
    const f = record[name];
    if (typeof f === 'function') return (...args: unknown[]) => (f as Method).apply(target, args);
  }
  throw new Error(`${target.constructor.name} has no ${names.join('/')}`);
}

// ---- reflection over our .proto files ----

type Scalar = 'string' | 'bytes' | 'bool' | 'int32' | 'uint32' | 'int64' | 'uint64';
interface FieldKind {
  readonly kind: 'scalar' | 'enum' | 'message';
  readonly scalar: Scalar | null;
  readonly map: boolean;
  readonly repeated: boolean;
  /** protoc-gen-js accessor stem: `startKey` → `Startkey`, `tx_id` → `TxId`, `TransientMap` → `Transientmap`. */
  readonly stem: string;
  /** The key of the field in their toObject(). */
  readonly objectKey: string;
  readonly enumValues: readonly number[];
  readonly messageType: protobuf.Type | null;
  /** A map keyed by a 64-bit integer (decimal strings on our side, numbers on theirs). */
  readonly longKeys: boolean;
}

function fieldKind(field: protobuf.Field): FieldKind {
  const stem = field.name
    .split('_')
    .map((p) => (p ? p[0].toUpperCase() + p.slice(1).toLowerCase() : ''))
    .join('');
  const map = field instanceof protobuf.MapField;
  const longKeys = field instanceof protobuf.MapField && ['int64', 'uint64'].includes(field.keyType);
  const repeated = field.repeated;
  const objectKey = stem[0].toLowerCase() + stem.slice(1) + (map ? 'Map' : repeated ? 'List' : '');
  const rt = field.resolvedType;
  if (rt instanceof protobuf.Type) return { kind: 'message', scalar: null, map, repeated, stem, objectKey, enumValues: [], messageType: rt, longKeys };
  if (rt instanceof protobuf.Enum) {
    const values = [...new Set(Object.values(rt.values))].filter((v) => v !== 0).sort((a, b) => a - b);
    return { kind: 'enum', scalar: null, map, repeated, stem, objectKey, enumValues: values, messageType: null, longKeys };
  }
  if (!['string', 'bytes', 'bool', 'int32', 'uint32', 'int64', 'uint64'].includes(field.type)) throw new Error(`unexpected scalar ${field.type} in ${field.fullName}`);
  return { kind: 'scalar', scalar: field.type as Scalar, map, repeated, stem, objectKey, enumValues: [], messageType: null, longKeys };
}

function allMessageTypes(ns: protobuf.NamespaceBase): protobuf.Type[] {
  const out: protobuf.Type[] = [];
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) out.push(nested);
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) out.push(...allMessageTypes(nested));
  }
  return out;
}

/** A message as a plain object keyed by proto field name (what protobufjs fromObject takes). */
type MessageValue = Record<string, unknown>;

// ---- building the same message on both sides, and reading it back into one canonical form ----

function toTheirs(type: protobuf.Type, value: MessageValue): TheirMessage {
  const msg = new (theirClassFor(type))();
  for (const field of type.fieldsArray) {
    const v = value[field.name];
    if (v === undefined) continue;
    const k = fieldKind(field);
    const one = (x: unknown): unknown => (k.messageType ? toTheirs(k.messageType, x as MessageValue) : x);
    if (k.map) {
      const map = method(msg, `get${k.stem}Map`)() as TheirMap;
      for (const [key, val] of Object.entries(v as Record<string, unknown>)) map.set(k.longKeys ? (Number(key) as unknown as string) : key, one(val));
    } else if (k.repeated) {
      method(msg, `set${k.stem}List`)((v as unknown[]).map(one));
    } else {
      method(msg, `set${k.stem}`)(one(v));
    }
  }
  return msg;
}

function canonicalScalar(k: FieldKind, v: unknown): unknown {
  if (k.scalar === 'bytes') return Buffer.from(v as Uint8Array).toString('base64');
  if (k.scalar === 'int64' || k.scalar === 'uint64') return String(v);
  return v;
}

function defaultOf(k: FieldKind): unknown {
  if (k.map) return {};
  if (k.repeated) return [];
  if (k.kind === 'message') return null;
  return k.kind === 'enum' ? 0 : { string: '', bytes: '', bool: false, int32: 0, uint32: 0, int64: '0', uint64: '0' }[k.scalar ?? 'string'];
}

/** The expected decoded form of `value`: every field (a oneof only its set member), base64 bytes, decimal 64-bit integers. */
function canonical(type: protobuf.Type, value: MessageValue): MessageValue {
  const out: MessageValue = {};
  for (const field of type.fieldsArray) {
    const k = fieldKind(field);
    const v = value[field.name];
    const one = (x: unknown): unknown => (k.messageType ? canonical(k.messageType, x as MessageValue) : canonicalScalar(k, x));
    if (v === undefined && field.partOf) continue;
    if (v === undefined) out[field.name] = defaultOf(k);
    else if (k.map) out[field.name] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([key, val]) => [key, one(val)]));
    else if (k.repeated) out[field.name] = (v as unknown[]).map(one);
    else out[field.name] = one(v);
  }
  return out;
}

/** Reads one of their messages through its getters into the canonical form. */
function theirCanonical(type: protobuf.Type, msg: TheirMessage): MessageValue {
  const out: MessageValue = {};
  for (const field of type.fieldsArray) {
    const k = fieldKind(field);
    // A oneof member that is not set is absent, as protobufjs decodes it.
    if (field.partOf && !(method(msg, `has${k.stem}`)() as boolean)) continue;
    const bytes = (x: unknown): string => (typeof x === 'string' ? x : Buffer.from(x as Uint8Array).toString('base64'));
    const one = (x: unknown): unknown => (k.messageType ? theirCanonical(k.messageType, x as TheirMessage) : k.scalar === 'bytes' ? bytes(x) : canonicalScalar(k, x));
    if (k.map) {
      const entries: [string, unknown][] = [];
      (method(msg, `get${k.stem}Map`)() as TheirMap).forEach((val, key) => entries.push([String(key), one(val)]));
      out[field.name] = Object.fromEntries(entries);
    } else if (k.repeated) {
      out[field.name] = (method(msg, `get${k.stem}List`)() as unknown[]).map(one);
    } else if (k.kind === 'message') {
      const sub = method(msg, `get${k.stem}`)();
      out[field.name] = sub === undefined || sub === null ? null : one(sub);
    } else {
      out[field.name] = one(method(msg, `get${k.stem}`)());
    }
  }
  return out;
}

// ---- values: a fixed sample with every field set, and fast-check arbitraries ----

function scalarSample(k: FieldKind, n: number, name: string): unknown {
  switch (k.scalar) {
    case 'string':
      return `${name}-${n}-é中\u{1F600}`;
    case 'bytes':
      return Buffer.concat([Buffer.from([n, 0, 0xff, 0x80]), Buffer.from(name)]);
    case 'bool':
      return true;
    case 'int32':
      return n % 2 ? -1000003 * n : 2147483647 - n;
    case 'uint32':
      return 4294967295 - n;
    case 'int64':
      return n % 2 ? 1_700_000_000 + n : -(2 ** 50) - n;
    case 'uint64':
      return n % 2 ? 2 ** 40 + n : Number.MAX_SAFE_INTEGER - n;
    // The newest value, or the lowest non-zero one; an enum with only its default (TxReadWriteSet.DataModel KV) is set to it.
    default:
      return k.enumValues.length === 0 ? 0 : k.enumValues[n % 2 ? k.enumValues.length - 1 : 0];
  }
}

/**
 * How many times a message type may occur on the path from the message under test: a recursive type
 * (SignaturePolicy → NOutOf → SignaturePolicy) nests this deep and then takes a member that ends it
 * (signed_by) or leaves out the field that would recur once more; messages that do not recur keep
 * all their fields at any depth.
 */
const MAX_OCCURRENCES = 3;
type TypePath = readonly protobuf.Type[];

/** Whether `field` may be set below `path`: not a message field whose type already occurs MAX_OCCURRENCES times. */
function nestable(field: protobuf.Field, path: TypePath): boolean {
  const rt = field.resolvedType;
  return !(rt instanceof protobuf.Type) || path.filter((t) => t === rt).length < MAX_OCCURRENCES;
}

/** The members of `oneof` that may be set below `path`. */
function settableMembers(oneof: protobuf.OneOf, path: TypePath): protobuf.Field[] {
  return oneof.fieldsArray.filter((f) => nestable(f, path));
}

/** A message with every field set; of each oneof, member `n` (cycling through the members that may be set). */
function sampleMessage(type: protobuf.Type, n: number, path: TypePath = [type]): MessageValue {
  const out: MessageValue = {};
  for (const field of type.fieldsArray) {
    if (!nestable(field, path)) continue;
    if (field.partOf) {
      const members = settableMembers(field.partOf, path);
      if (members[n % members.length] !== field) continue;
    }
    const k = fieldKind(field);
    const one = (m: number): unknown => (k.messageType ? sampleMessage(k.messageType, m, [...path, k.messageType]) : scalarSample(k, m, field.name));
    if (k.map)
      out[field.name] = { [k.longKeys ? String(2 ** 40 + n) : `${field.name}-key-${n}`]: one(n) }; // one entry: entry order cannot differ
    else if (k.repeated) out[field.name] = [one(n), one(n + 2)];
    else out[field.name] = one(n);
  }
  return out;
}

/** Samples 1..k, k the size of the largest oneof (SeekPosition's Type: 4): between them they set every member of every oneof. */
const SAMPLES = Array.from({ length: Math.max(2, ...allMessageTypes(protoRoot).flatMap((t) => t.oneofsArray.map((o) => o.fieldsArray.length))) }, (_, i) => i + 1);

function scalarArbitrary(k: FieldKind): fc.Arbitrary<unknown> {
  switch (k.scalar) {
    case 'string':
      return fc.string({ minLength: 1, maxLength: 24, unit: 'grapheme' });
    case 'bytes':
      return fc.uint8Array({ minLength: 1, maxLength: 48 });
    case 'bool':
      return fc.constant(true);
    case 'int32':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).filter((x) => x !== 0);
    case 'uint32':
      return fc.integer({ min: 1, max: 2 ** 32 - 1 });
    case 'int64':
      return fc.maxSafeInteger().filter((x) => x !== 0);
    case 'uint64':
      return fc.maxSafeNat().filter((x) => x !== 0);
    default:
      return fc.constantFrom(...k.enumValues);
  }
}

/** Whether a scalar or enum field can hold anything but its default (an enum may have only its default). */
const hasNonDefault = (k: FieldKind): boolean => k.kind !== 'enum' || k.enumValues.length > 0;

function defaultScalar(k: FieldKind): unknown {
  return k.kind === 'enum' ? 0 : { string: '', bytes: Buffer.alloc(0), bool: false, int32: 0, uint32: 0, int64: 0, uint64: 0 }[k.scalar ?? 'string'];
}

/**
 * Any field absent or non-default (an explicit default is a separate question, tested below); of
 * each oneof, none or exactly one member, with any value: a oneof member has explicit presence, so
 * set to its default it is still written, and it decodes as set.
 */
function valueArbitrary(type: protobuf.Type, path: TypePath = [type]): fc.Arbitrary<MessageValue> {
  const one = (k: FieldKind): fc.Arbitrary<unknown> => (k.messageType ? valueArbitrary(k.messageType, [...path, k.messageType]) : scalarArbitrary(k));
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of type.fieldsArray) {
    const k = fieldKind(field);
    if (field.partOf || !nestable(field, path) || (!k.messageType && !hasNonDefault(k))) continue;
    if (k.map) fields[field.name] = fc.tuple(k.longKeys ? fc.maxSafeNat().map(String) : fc.string({ minLength: 1, maxLength: 12 }), one(k)).map(([key, v]) => ({ [key]: v }));
    else if (k.repeated) fields[field.name] = fc.array(one(k), { minLength: 1, maxLength: 3 });
    else fields[field.name] = one(k);
  }
  const oneofs = type.oneofsArray.map((oneof) => {
    const member = (f: protobuf.Field): fc.Arbitrary<MessageValue> => {
      const k = fieldKind(f);
      const value = k.messageType ? one(k) : hasNonDefault(k) ? fc.oneof(fc.constant(defaultScalar(k)), scalarArbitrary(k)) : fc.constant(defaultScalar(k));
      return value.map((v) => ({ [f.name]: v }));
    };
    return fc.oneof(fc.constant({}), ...settableMembers(oneof, path).map(member));
  });
  return fc.tuple(fc.record(fields, { requiredKeys: [] }), ...oneofs).map((parts) => Object.assign({}, ...parts) as MessageValue);
}

// ---- the assertions ----

const OUR_OBJECT_FORM: protobuf.IConversionOptions = { defaults: true, longs: String, enums: Number, bytes: String, arrays: true, objects: true };
const types = allMessageTypes(protoRoot);
const codecByType = new Map<protobuf.Type, MessageCodec<unknown>>(Object.values(codecs).map((c) => [c.type, c as MessageCodec<unknown>]));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const accepts = (decode: () => unknown): boolean => {
  try {
    decode();
    return true;
  } catch {
    return false;
  }
};

/** Our codec for a type: the project's own where it has one, else one made the same way. */
function ourCodec(type: protobuf.Type): MessageCodec<unknown> {
  return codecByType.get(type) ?? new MessageCodec<unknown>(type.fullName.slice(1));
}

function encodeOurs(type: protobuf.Type, value: MessageValue): Buffer {
  return ourCodec(type).encode(value);
}

/**
 * Encodes `value` both ways and compares the bytes, then cross-decodes and compares the values (an
 * unset oneof member is absent on both sides, a set one present whatever its value). Last, our
 * decoding of their bytes must encode back to the same bytes, as the engine re-encodes what it read.
 */
function assertConformant(type: protobuf.Type, value: MessageValue): void {
  const theirs = theirClassFor(type);
  const ours = encodeOurs(type, value);
  const their = toTheirs(type, value).serializeBinary();
  const expected = canonical(type, value);
  assert.equal(hex(ours), hex(their), `${type.fullName}: our bytes differ from fabric-protos' for ${JSON.stringify(expected)}`);
  const decoded = ourCodec(type).decode(their);
  assert.deepEqual(type.toObject(decoded as protobuf.Message, OUR_OBJECT_FORM), expected, `${type.fullName}: our decoding of fabric-protos' bytes`);
  assert.deepEqual(theirCanonical(type, theirs.deserializeBinary(ours)), expected, `${type.fullName}: fabric-protos' decoding of our bytes`);
  assert.equal(hex(ourCodec(type).encode(decoded as Record<string, unknown>)), hex(their), `${type.fullName}: our decoding of fabric-protos' bytes encodes back differently`);
}

describe('wire conformance with @hyperledger/fabric-protos 0.3.7', () => {
  test('every message type of our .proto files is covered, and every codec is one of them', () => {
    const names = types.map((t) => t.fullName.slice(1));
    const expected = [
      'protos.ChaincodeMessage',
      'protos.WriteBatchState',
      'protos.WriteRecord',
      'protos.ChaincodeAdditionalParams',
      'common.ChannelHeader',
      'msp.SerializedIdentity',
      'queryresult.KeyModification',
      'google.protobuf.Timestamp',
      // gateway/gateway.proto
      'gateway.EndorseRequest',
      'gateway.EndorseResponse',
      'gateway.SubmitRequest',
      'gateway.SubmitResponse',
      'gateway.SignedCommitStatusRequest',
      'gateway.CommitStatusRequest',
      'gateway.CommitStatusResponse',
      'gateway.EvaluateRequest',
      'gateway.EvaluateResponse',
      'gateway.SignedChaincodeEventsRequest',
      'gateway.ChaincodeEventsRequest',
      'gateway.ChaincodeEventsResponse',
      'gateway.ErrorDetail',
      'gateway.ProposedTransaction',
      'gateway.PreparedTransaction',
      // peer/transaction.proto, proposal.proto, proposal_response.proto
      'protos.ProcessedTransaction',
      'protos.Transaction',
      'protos.TransactionAction',
      'protos.ChaincodeActionPayload',
      'protos.ChaincodeEndorsedAction',
      'protos.ChaincodeAction',
      'protos.ProposalResponsePayload',
      'protos.Endorsement',
      // ledger/rwset
      'rwset.TxReadWriteSet',
      'rwset.NsReadWriteSet',
      'rwset.CollectionHashedReadWriteSet',
      'rwset.TxPvtReadWriteSet',
      'rwset.NsPvtReadWriteSet',
      'rwset.CollectionPvtReadWriteSet',
      'kvrwset.KVRWSet',
      'kvrwset.HashedRWSet',
      'kvrwset.KVRead',
      'kvrwset.KVWrite',
      'kvrwset.KVMetadataWrite',
      'kvrwset.KVReadHash',
      'kvrwset.KVWriteHash',
      'kvrwset.KVMetadataWriteHash',
      'kvrwset.KVMetadataEntry',
      'kvrwset.Version',
      'kvrwset.RangeQueryInfo',
      'kvrwset.QueryReads',
      'kvrwset.QueryReadsMerkleSummary',
      // orderer/ab.proto
      'orderer.BroadcastResponse',
      'orderer.SeekNewest',
      'orderer.SeekOldest',
      'orderer.SeekSpecified',
      'orderer.SeekNextCommit',
      'orderer.SeekPosition',
      'orderer.SeekInfo',
      'orderer.DeliverResponse',
      // common/common.proto
      'common.LastConfig',
      'common.Metadata',
      'common.MetadataSignature',
      'common.IdentifierHeader',
      'common.Payload',
      'common.Envelope',
      'common.Block',
      'common.BlockHeader',
      'common.BlockData',
      'common.BlockMetadata',
      'common.OrdererBlockMetadata',
      'common.BlockchainInfo',
      // peer/events.proto
      'protos.FilteredBlock',
      'protos.FilteredTransaction',
      'protos.FilteredTransactionActions',
      'protos.FilteredChaincodeAction',
      'protos.BlockAndPrivateData',
      'protos.DeliverResponse',
      // google/rpc/status.proto
      'google.rpc.Status',
      'google.protobuf.Any',
      // msp/msp_principal.proto, common/policies.proto, peer/policy.proto, peer/collection.proto
      'common.MSPPrincipal',
      'common.MSPRole',
      'common.OrganizationUnit',
      'common.MSPIdentityAnonymity',
      'common.CombinedPrincipal',
      'common.Policy',
      'common.SignaturePolicyEnvelope',
      'common.SignaturePolicy',
      'common.SignaturePolicy.NOutOf',
      'common.ImplicitMetaPolicy',
      'protos.ApplicationPolicy',
      'protos.CollectionConfigPackage',
      'protos.CollectionConfig',
      'protos.StaticCollectionConfig',
      'protos.CollectionPolicyConfig',
      // peer/lifecycle/lifecycle.proto
      'lifecycle.InstallChaincodeArgs',
      'lifecycle.InstallChaincodeResult',
      'lifecycle.QueryInstalledChaincodeArgs',
      'lifecycle.QueryInstalledChaincodeResult',
      'lifecycle.QueryInstalledChaincodeResult.References',
      'lifecycle.QueryInstalledChaincodeResult.Chaincode',
      'lifecycle.GetInstalledChaincodePackageArgs',
      'lifecycle.GetInstalledChaincodePackageResult',
      'lifecycle.QueryInstalledChaincodesArgs',
      'lifecycle.QueryInstalledChaincodesResult',
      'lifecycle.QueryInstalledChaincodesResult.InstalledChaincode',
      'lifecycle.QueryInstalledChaincodesResult.References',
      'lifecycle.QueryInstalledChaincodesResult.Chaincode',
      'lifecycle.ApproveChaincodeDefinitionForMyOrgArgs',
      'lifecycle.ChaincodeSource',
      'lifecycle.ChaincodeSource.Unavailable',
      'lifecycle.ChaincodeSource.Local',
      'lifecycle.ApproveChaincodeDefinitionForMyOrgResult',
      'lifecycle.CommitChaincodeDefinitionArgs',
      'lifecycle.CommitChaincodeDefinitionResult',
      'lifecycle.CheckCommitReadinessArgs',
      'lifecycle.CheckCommitReadinessResult',
      'lifecycle.CheckCommitReadinessResult.Mismatches',
      'lifecycle.QueryApprovedChaincodeDefinitionArgs',
      'lifecycle.QueryApprovedChaincodeDefinitionResult',
      'lifecycle.QueryApprovedChaincodeDefinitionsArgs',
      'lifecycle.QueryApprovedChaincodeDefinitionsResult',
      'lifecycle.QueryApprovedChaincodeDefinitionsResult.ApprovedChaincodeDefinition',
      'lifecycle.QueryChaincodeDefinitionArgs',
      'lifecycle.QueryChaincodeDefinitionResult',
      'lifecycle.QueryChaincodeDefinitionsArgs',
      'lifecycle.QueryChaincodeDefinitionsResult',
      'lifecycle.QueryChaincodeDefinitionsResult.ChaincodeDefinition',
    ];
    for (const name of expected) assert.ok(names.includes(name), `${name} missing from ${names.join(', ')}`);
    for (const [name, codec] of Object.entries(codecs)) assert.ok(types.includes(codec.type), `codec ${name} is not a protoRoot type`);
    // Every message type has a codec, except map entries and these, which only ever travel inside
    // another message: nothing encodes or decodes them on their own (their types are still tested above).
    const withoutCodec: Record<string, string> = {
      'google.protobuf.Timestamp': 'a field of ChannelHeader, KeyModification and others; built with timestampOf',
      'orderer.SeekNewest': 'an empty SeekPosition member, written inline as {}',
      'orderer.SeekOldest': 'an empty SeekPosition member, written inline as {}',
      'orderer.SeekNextCommit': 'an empty SeekPosition member, written inline as {}',
      'orderer.SeekSpecified': 'a SeekPosition member, written inline as {number}',
      'common.SignaturePolicy.NOutOf': 'a SignaturePolicy member; policy/signaturePolicy.ts builds and reads it inside SignaturePolicyEnvelope',
      'common.BootstrappingSnapshotInfo': 'a BlockchainInfo field (qscc GetChainInfo), never set: the ledger does not start from a snapshot',
    };
    const withCodec = new Set(Object.values(codecs).map((c) => c.type));
    const uncodec = types.filter((t) => !withCodec.has(t) && !t.name.endsWith('Entry')).map((t) => t.fullName.slice(1));
    assert.deepEqual(uncodec.sort(), Object.keys(withoutCodec).sort(), 'a message type without a codec that is not a listed exception (or a listed one that now has a codec)');
    assert.ok(types.length >= expected.length + 33, `only ${types.length} message types found: ${names.join(', ')}`);
  });

  for (const type of types) {
    describe(type.fullName.slice(1), () => {
      test('fabric-protos has the same fields', () => {
        const theirs = theirClassFor(type);
        // google-protobuf registers each class under its proto full name on globalThis.proto.
        assert.equal(at(globalThis, ['proto', ...type.fullName.slice(1).split('.')]), theirs, 'compared against the wrong class');
        const theirFields = Object.keys(new theirs().toObject());
        const ourFields = type.fieldsArray.map((f) => fieldKind(f).objectKey);
        assert.deepEqual([...theirFields].sort(), [...ourFields].sort());
      });

      test('every field set (nested, repeated, map, newest enum values, each oneof member): identical bytes and values both ways', () => {
        for (const n of SAMPLES) assertConformant(type, sampleMessage(type, n));
      });

      test('random messages (each field absent or non-default): identical bytes and values both ways', () => {
        fc.assert(
          fc.property(valueArbitrary(type), (value) => assertConformant(type, value)),
          { numRuns: 40, seed: 0x5eed },
        );
      });
    });
  }

  test('fields set explicitly to their proto3 default are not written, as fabric-protos (and Go) encode them', () => {
    // Canonical proto3 never writes an implicit-presence field holding its default. Decoders accept
    // both forms, but the bytes differ from every Fabric encoder (e.g. an ERROR the peer sends with
    // txid '' and channel_id '', or ChaincodeInput{is_init: false} in every TRANSACTION).
    const differing: string[] = [];
    for (const type of types) {
      // Of a oneof, only the first member: setting a second would clear the first on their side.
      const scalars = type.fieldsArray.filter((f) => !f.repeated && !f.map && !(f.resolvedType instanceof protobuf.Type) && (!f.partOf || f.partOf.fieldsArray[0] === f));
      const defaults = Object.fromEntries(scalars.map((f) => [f.name, defaultScalar(fieldKind(f))]));
      const ours = hex(encodeOurs(type, defaults));
      const their = hex(toTheirs(type, defaults).serializeBinary());
      if (ours !== their) differing.push(`${type.fullName.slice(1)}: ours ${ours}, fabric-protos '${their}'`);
    }
    assert.deepEqual(differing, [], `explicit defaults are written:\n${differing.join('\n')}`);
  });

  test('truncated encodings: ours rejects exactly what fabric-protos rejects', () => {
    // Every prefix of a message with every field set. A prefix that cuts a field short is
    // malformed (Go's proto.Unmarshal: unexpected EOF); accepting it yields silently cut values.
    const differing: string[] = [];
    for (const type of types) {
      const full = encodeOurs(type, sampleMessage(type, 1));
      const theirs = theirClassFor(type);
      for (let i = 1; i < full.length; i++) {
        const prefix = full.subarray(0, i);
        const oursOk = accepts(() => ourCodec(type).decode(prefix));
        const theirsOk = accepts(() => theirs.deserializeBinary(prefix));
        if (oursOk !== theirsOk) {
          differing.push(
            `${type.fullName.slice(1)}: first ${i} of ${full.length} bytes ${oursOk ? 'accepted' : 'rejected'} by ours, ${theirsOk ? 'accepted' : 'rejected'} by fabric-protos (${hex(prefix)})`,
          );
          break; // one example per type
        }
      }
    }
    assert.deepEqual(differing, [], `malformed input handled differently:\n${differing.join('\n')}`);
  });

  test('enum tables equal fabric-protos (names and numbers, including the newest values)', () => {
    const pairs: [string, string[]][] = [
      ['protos.ChaincodeMessage.Type', ['peer', 'ChaincodeMessage', 'Type']],
      ['protos.WriteRecord.Type', ['peer', 'WriteRecord', 'Type']],
      ['protos.ChaincodeSpec.Type', ['peer', 'ChaincodeSpec', 'Type']],
      ['common.HeaderType', ['common', 'HeaderType']],
      ['common.Status', ['common', 'Status']],
      ['common.BlockMetadataIndex', ['common', 'BlockMetadataIndex']],
      ['protos.TxValidationCode', ['peer', 'TxValidationCode']],
      ['protos.MetaDataKeys', ['peer', 'MetaDataKeys']],
      ['rwset.TxReadWriteSet.DataModel', ['ledger', 'rwset', 'TxReadWriteSet', 'DataModel']],
      ['orderer.SeekInfo.SeekBehavior', ['orderer', 'SeekInfo', 'SeekBehavior']],
      ['orderer.SeekInfo.SeekErrorResponse', ['orderer', 'SeekInfo', 'SeekErrorResponse']],
      ['orderer.SeekInfo.SeekContentType', ['orderer', 'SeekInfo', 'SeekContentType']],
      ['common.MSPPrincipal.Classification', ['common', 'MSPPrincipal', 'Classification']],
      ['common.MSPRole.MSPRoleType', ['common', 'MSPRole', 'MSPRoleType']],
      ['common.MSPIdentityAnonymity.MSPIdentityAnonymityType', ['common', 'MSPIdentityAnonymity', 'MSPIdentityAnonymityType']],
      ['common.Policy.PolicyType', ['common', 'Policy', 'PolicyType']],
      ['common.ImplicitMetaPolicy.Rule', ['common', 'ImplicitMetaPolicy', 'Rule']],
    ];
    for (const [ours, path] of pairs) assert.deepEqual({ ...protoRoot.lookupEnum(ours).values }, theirEnum(path), ours);
    // The TypeScript enums the engine uses carry the same names and numbers.
    const tsEnums: [object, string][] = [
      [TxValidationCode, 'protos.TxValidationCode'],
      [HeaderType, 'common.HeaderType'],
      [Status, 'common.Status'],
      [BlockMetadataIndex, 'common.BlockMetadataIndex'],
      [MetaDataKeys, 'protos.MetaDataKeys'],
      [SeekBehavior, 'orderer.SeekInfo.SeekBehavior'],
      [SeekErrorResponse, 'orderer.SeekInfo.SeekErrorResponse'],
      [SeekContentType, 'orderer.SeekInfo.SeekContentType'],
      [PrincipalClassification, 'common.MSPPrincipal.Classification'],
      [PolicyType, 'common.Policy.PolicyType'],
      [ImplicitMetaRule, 'common.ImplicitMetaPolicy.Rule'],
    ];
    for (const [tsEnum, name] of tsEnums) {
      const named = Object.fromEntries(Object.entries(tsEnum).filter(([k]) => Number.isNaN(Number(k))));
      assert.deepEqual(named, { ...protoRoot.lookupEnum(name).values }, `TypeScript enum for ${name}`);
    }
    const types = protoRoot.lookupEnum('protos.ChaincodeMessage.Type').values;
    assert.equal(types.WRITE_BATCH_STATE, 24);
    assert.equal(types.GET_STATE_MULTIPLE, 25);
  });

  test('every ChaincodeMessage type encodes identically, and our MessageType enum matches', () => {
    const type = codecs.ChaincodeMessage.type;
    for (const [name, value] of Object.entries(theirEnum(['peer', 'ChaincodeMessage', 'Type']))) {
      assert.equal((MessageType as unknown as Record<string, number>)[name], value, `MessageType.${name}`);
      if (value !== 0) assertConformant(type, { type: value, txid: `tx-${name}`, channel_id: 'ch', payload: Buffer.from([value]) });
    }
    assert.equal(Object.keys(MessageType).filter((k) => Number.isNaN(Number(k))).length, Object.keys(theirEnum(['peer', 'ChaincodeMessage', 'Type'])).length);
  });

  test('a 1 MiB payload and strings outside the BMP encode identically', () => {
    assertConformant(codecs.PutState.type, { key: 'k\u{1F600}\u00e9\u4e2d\u0000', value: Buffer.alloc(1024 * 1024, 0xa5), collection: '\u{10FFFF}' });
  });
});
