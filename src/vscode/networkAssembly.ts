/**
 * Fabric networks from the editor: connections and Deploy, through the Gateway client. All of it
 * lives in a third bundle (networkBundle.ts → dist/network.js) loaded the first time the user
 * connects to a network or deploys, as engineAssembly.ts loads the engine: a user who stays on the
 * embedded peer never loads @hyperledger/fabric-gateway. Elsewhere the editor imports the
 * connection's modules as types only.
 */
import type * as NetworkBundle from './networkBundle';

let loaded: typeof NetworkBundle | undefined;

/** The network bundle, loaded (synchronously, once) on first use. */
export function networkBundle(): typeof NetworkBundle {
  // A require, not an import, so it runs only here. scripts/bundle.js keeps it out of
  // dist/extension.js and points it at dist/network.js; compiled by tsc it loads ./networkBundle.js.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the lazy load described above
  loaded ??= require('./networkBundle') as typeof NetworkBundle;
  return loaded;
}
