/**
 * The engine the editor drives: the embedded peer and the launcher over it (Docker and in-process
 * VMs, net-mode recipes), made by the engine's own composition root. F5 starts chaincode itself,
 * so the editor's peer always accepts a registration nobody launched.
 */
import type { EngineConfig } from '../engine/config';
import { Engine } from '../engine/engine';

export { Engine };

export function startEngine(config: EngineConfig): Promise<Engine> {
  return Engine.start(config, { acceptUnlaunched: true });
}
