/** The debug configuration for each language (one subclass each). */
import type { DetectedChaincode } from '../../engine/workspace/detect';
import { ChaincodeDebugConfiguration, DebugLanguage } from './chaincodeDebug';
import { GoDebugConfiguration } from './goDebug';
import { JavaDebugConfiguration } from './javaDebug';
import { NodeDebugConfiguration, TypeScriptDebugConfiguration } from './nodeDebug';

const BY_LANGUAGE: Record<DebugLanguage, ChaincodeDebugConfiguration> = {
  node: new NodeDebugConfiguration(),
  typescript: new TypeScriptDebugConfiguration(),
  golang: new GoDebugConfiguration(),
  java: new JavaDebugConfiguration(),
};

export function debugLanguageOf(cc: DetectedChaincode): DebugLanguage {
  if (cc.language === 'node') return cc.typescript ? 'typescript' : 'node';
  return cc.language;
}

export function debugConfigurationFor(language: DebugLanguage): ChaincodeDebugConfiguration {
  return BY_LANGUAGE[language];
}
