/**
 * Container and image names, as Fabric 2.x computes them (`core/container/dockercontroller`
 * `GetVMName` / `GetVMNameForDocker`), so a Fabric user recognises them in `docker ps`.
 */
import { createHash } from 'node:crypto';

/** Characters Docker refuses in names (Fabric's `vmRegExp`). */
const INVALID_NAME_CHARS = /[^a-zA-Z0-9-_.]/g;
/** Docker's rule for one repository path component, as Fabric checks it (`imageRegExp`). */
const IMAGE_NAME_RULE = /^[a-z0-9]+(([._-][a-z0-9]+)+)?$/;
/** Docker's tag rule. */
const TAG_RULE = /^[\w][\w.-]{0,127}$/;

export class InvalidImageNameError extends Error {
  override readonly name = 'InvalidImageNameError';
}

export interface VMNaming {
  /** Fabric's `peer.networkId`; default 'dev'. Empty string leaves it out. */
  readonly networkId: string;
  /** Fabric's `peer.id`; default 'peer0'. Empty string leaves it out. */
  readonly peerId: string;
  /**
   * Not Fabric's: which engine on this Docker host (see `instanceId.ts`). Two engines with the same
   * network and peer ids would otherwise share container names, and each start would remove the
   * other's container of that name. Unset or empty leaves it out (Fabric's names).
   */
  readonly instanceId?: string;
}

export const DEFAULT_NAMING: VMNaming = { networkId: 'dev', peerId: 'peer0' };

/** `<networkId>-<peerId>[-<instanceId>]`, each part only when set: the peer label's value. */
export function peerPrefix(naming: VMNaming): string {
  return [naming.networkId, naming.peerId, naming.instanceId ?? ''].filter((part) => part !== '').join('-');
}

/** `<networkId>-<peerId>[-<instanceId>]-<ccid>`, each prefix only when set (Fabric's `preFormatImageName`). */
function preFormat(naming: VMNaming, ccid: string): string {
  return [peerPrefix(naming), ccid].filter((part) => part !== '').join('-');
}

/** Container name: sanitised, case kept (2.x `GetVMName`). */
export function containerName(naming: VMNaming, ccid: string): string {
  return preFormat(naming, ccid).replace(INVALID_NAME_CHARS, '-');
}

/**
 * Image repository name: lowercase(sanitised + '-' + sha256hex), the hash taken over the
 * unsanitised name with ':' → '-' so that distinct ids never share an image after sanitising.
 */
export function imageName(naming: VMNaming, ccid: string): string {
  const name = preFormat(naming, ccid).replace(/:/g, '-');
  const hash = createHash('sha256').update(name).digest('hex');
  const image = `${name.replace(INVALID_NAME_CHARS, '-')}-${hash}`.toLowerCase();
  if (!IMAGE_NAME_RULE.test(image)) {
    throw new InvalidImageNameError(`Error constructing Docker VM Name. '${image}' breaks Docker's repository naming rules`);
  }
  return image;
}

/** Full reference `<image>:<tag>`; without a content tag, Docker's implicit 'latest'. */
export function imageRef(naming: VMNaming, ccid: string, tag?: string): string {
  const t = tag ?? 'latest';
  if (!TAG_RULE.test(t)) throw new InvalidImageNameError(`invalid image tag '${t}'`);
  return `${imageName(naming, ccid)}:${t}`;
}

/**
 * The repository of a chaincode's dependencies image (not a Fabric name: Fabric builds one image).
 * Named after the chaincode's image, so `docker images` shows the two side by side.
 */
export function dependenciesImageRef(naming: VMNaming, ccid: string, tag: string): string {
  if (!TAG_RULE.test(tag)) throw new InvalidImageNameError(`invalid image tag '${tag}'`);
  return `${imageName(naming, ccid)}-deps:${tag}`;
}
