/** The debug configuration for each language (one subclass each). */
import type { SourceLanguage } from '../../engine/platforms/types';
import { ChaincodeDebugConfiguration } from './chaincodeDebug';
import { GoDebugConfiguration } from './goDebug';
import { JavaDebugConfiguration } from './javaDebug';
import { NodeDebugConfiguration, TypeScriptDebugConfiguration } from './nodeDebug';

const BY_LANGUAGE: Record<SourceLanguage, ChaincodeDebugConfiguration> = {
  node: new NodeDebugConfiguration(),
  typescript: new TypeScriptDebugConfiguration(),
  golang: new GoDebugConfiguration(),
  java: new JavaDebugConfiguration(),
};

export function debugConfigurationFor(language: SourceLanguage): ChaincodeDebugConfiguration {
  return BY_LANGUAGE[language];
}
