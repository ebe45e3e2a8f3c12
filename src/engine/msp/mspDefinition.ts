/**
 * What a channel knows about one organisation's MSP (Fabric's `FabricMSPConfig`, reduced to what
 * our orgs use): its root and intermediate CA certificates, explicit admins, and NodeOUs.
 */

/** NodeOUs as in an MSP's config.yaml: role OUs, optionally bound to a CA certificate. */
export interface NodeOUsDefinition {
  readonly enable: boolean;
  /**
   * PEM of the CA certificate the role OUs are bound to (config.yaml's `Certificate:`): only
   * identities certified through it count. Absent: any chain to the MSP's roots.
   */
  readonly certificate?: string;
  readonly clientOu?: string;
  readonly peerOu?: string;
  readonly adminOu?: string;
  readonly ordererOu?: string;
}

export interface MspDefinition {
  readonly mspId: string;
  /** PEM certificates (`cacerts/`). At least one. */
  readonly rootCerts: readonly string[];
  /** PEM certificates (`intermediatecerts/`). */
  readonly intermediateCerts?: readonly string[];
  /** PEM certificates named as admins (`admincerts/`). */
  readonly admins?: readonly string[];
  /** Null or absent: NodeOUs off (roles cannot be told apart; `.admin` means an admincert). */
  readonly nodeOUs?: NodeOUsDefinition | null;
}
