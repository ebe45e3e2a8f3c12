/** The platforms by language: the one table every caller picks a platform from (Fabric's platform registry). */
import { golangPlatform } from './golang';
import { javaPlatform } from './java';
import { nodePlatform } from './node';
import type { Language, Platform } from './types';

const PLATFORMS: Readonly<Record<Language, Platform>> = { node: nodePlatform, golang: golangPlatform, java: javaPlatform };

export function platformFor(language: Language): Platform {
  const platform = PLATFORMS[language] as Platform | undefined;
  if (!platform) throw new Error(`unsupported chaincode language: ${String(language)}`);
  return platform;
}
