/**
 * X.509 distinguished names as Go's crypto/x509/pkix builds them: `pkix.Name.ToRDNSequence`
 * writes C, ST, L, STREET, POSTALCODE, O, OU, CN, SERIALNUMBER in that order, all values of one
 * attribute type in a single (multi-valued) RDN, strings as PrintableString when they fit.
 */
import { children, decodeOid, DerError, expect, goString, oid, sequence, setOf, Tag, tlv, type Tlv } from './der';

export type AttributeType = 'C' | 'ST' | 'L' | 'STREET' | 'POSTALCODE' | 'O' | 'OU' | 'CN' | 'SERIALNUMBER' | 'E';

const OIDS: Readonly<Record<AttributeType, string>> = {
  C: '2.5.4.6',
  ST: '2.5.4.8',
  L: '2.5.4.7',
  STREET: '2.5.4.9',
  POSTALCODE: '2.5.4.17',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
  SERIALNUMBER: '2.5.4.5',
  E: '1.2.840.113549.1.9.1',
};
const NAMES = new Map(Object.entries(OIDS).map(([name, id]) => [id, name as AttributeType]));

export interface NameAttribute {
  /** The short name when known (an AttributeType), else the dotted OID. */
  readonly type: string;
  readonly value: string;
}

/** A relative distinguished name: one or more attributes (several only in a multi-valued RDN). */
export type Rdn = readonly NameAttribute[];

/** The fields of Go's pkix.Name this project sets. */
export interface GoName {
  readonly country?: readonly string[];
  readonly province?: readonly string[];
  readonly locality?: readonly string[];
  readonly streetAddress?: readonly string[];
  readonly postalCode?: readonly string[];
  readonly organization?: readonly string[];
  readonly organizationalUnit?: readonly string[];
  readonly commonName?: string;
}

/** `pkix.Name.ToRDNSequence`. */
export function goRdnSequence(name: GoName): Rdn[] {
  const rdns: Rdn[] = [];
  const add = (type: AttributeType, values: readonly string[] | undefined): void => {
    if (values?.length) rdns.push(values.map((value) => ({ type, value })));
  };
  add('C', name.country);
  add('ST', name.province);
  add('L', name.locality);
  add('STREET', name.streetAddress);
  add('POSTALCODE', name.postalCode);
  add('O', name.organization);
  add('OU', name.organizationalUnit);
  if (name.commonName) add('CN', [name.commonName]);
  return rdns;
}

/** DER of a Name (an RDNSequence); each RDN is a DER SET, so its attributes are sorted. */
export function encodeName(rdns: readonly Rdn[]): Buffer {
  return sequence(
    ...rdns.map((rdn) => setOf(rdn.map((attr) => sequence(oid(OIDS[attr.type as AttributeType] ?? attr.type), attr.type === 'E' ? ia5(attr.value) : goString(attr.value))))),
  );
}

function ia5(value: string): Buffer {
  return tlv(Tag.IA5_STRING, Buffer.from(value, 'latin1'));
}

/** Parses a DER Name into its RDNs, in certificate order. */
export function decodeName(name: Tlv): Rdn[] {
  expect(name, Tag.SEQUENCE, 'Name');
  return children(name.content).map((set) => {
    expect(set, Tag.SET, 'RelativeDistinguishedName');
    return children(set.content).map((atv) => {
      const [type, value] = children(expect(atv, Tag.SEQUENCE, 'AttributeTypeAndValue').content);
      if (!type || !value) throw new DerError('AttributeTypeAndValue: missing type or value');
      const id = decodeOid(expect(type, Tag.OID, 'attribute type').content);
      return { type: NAMES.get(id) ?? id, value: value.tag === 0x1e ? bmpString(value.content) : value.content.toString('utf8') };
    });
  });
}

function bmpString(content: Buffer): string {
  const swapped = Buffer.from(content);
  swapped.swap16();
  return swapped.toString('utf16le');
}

/** Every value of one attribute type, in certificate order (e.g. Go's `Subject.OrganizationalUnit`). */
export function attributeValues(rdns: readonly Rdn[], type: AttributeType): string[] {
  return rdns.flatMap((rdn) => rdn.filter((a) => a.type === type).map((a) => a.value));
}

/** One-line display form, certificate order: `C=US, ST=California, OU=client+OU=org1, CN=User1`. */
export function formatName(rdns: readonly Rdn[]): string {
  return rdns.map((rdn) => rdn.map((a) => `${a.type}=${a.value}`).join('+')).join(', ');
}
