/**
 * How a watch restarts its chaincode, once the build is done: a function that resolves once the
 * chaincode is ready again. The launcher's way (a dev-mode process, a net-mode container rebuilt from
 * the edited folder: the launch flow's own edit → rebuild path) is here; the editor restarts a
 * debug session its own way and waits here for the debuggee to register.
 */
import type { ChaincodeLauncher } from '../launch/launcher';
import type { ChaincodeDefinition } from '../launch/types';
import { chaincodeId } from '../chaincodeId';
import type { Peer } from '../peer/peer';
import type { HandlerInfo } from '../peer/types';

export type Restart = (signal: AbortSignal) => Promise<void>;

/** Stop, then launch the same definition again (its runtime reads the folder afresh). */
export function relaunch(launcher: Pick<ChaincodeLauncher, 'running' | 'stop' | 'launch'>, definition: ChaincodeDefinition): Restart {
  const ccid = chaincodeId(definition.name, definition.version);
  return async (signal) => {
    if (launcher.running().some((r) => r.ccid === ccid)) await launcher.stop(ccid);
    await launcher.launch({ kind: 'deployment', definition }, { signal });
  };
}

export class RegistrationTimeoutError extends Error {
  override readonly name = 'RegistrationTimeoutError';
}

/**
 * Resolves once a handler other than `previousHandlerId` is ready for `ccid` (the restarted process
 * registered); rejects after `timeoutMs` or on abort.
 */
export function awaitNewRegistration(
  peer: Pick<Peer, 'handlers' | 'onDidChangeHandlerState'>,
  ccid: string,
  previousHandlerId: string | undefined,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<HandlerInfo> {
  const fresh = (h: HandlerInfo): boolean => h.chaincodeId === ccid && h.state === 'ready' && h.id !== previousHandlerId;
  return new Promise((resolve, reject) => {
    const now = peer.handlers().find(fresh);
    if (now) return resolve(now);
    const done = (): void => {
      clearTimeout(timer);
      subscription.dispose();
      signal?.removeEventListener('abort', onAbort);
    };
    const subscription = peer.onDidChangeHandlerState(({ handler }) => {
      if (!fresh(handler)) return;
      done();
      resolve(handler);
    });
    const timer = setTimeout(() => {
      done();
      reject(new RegistrationTimeoutError(`chaincode ${ccid} did not register again within ${Math.round(timeoutMs / 1000)} s of its restart`));
    }, timeoutMs);
    const onAbort = (): void => {
      done();
      reject(signal?.reason instanceof Error ? signal.reason : new Error('cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
