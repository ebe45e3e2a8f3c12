/** Watch and reload (issue 12 item 3): the folder watcher, the TypeScript build, the reload over the launcher. */
export { diagnosticText, type BuildDiagnostic } from './buildDiagnostics';
export { ChaincodeWatch, WatchUnsupportedError, type ChaincodeWatchOptions, type ReloadOutcome, type ReloadTimings, type ReloadTrigger, type WatchTarget } from './chaincodeWatch';
export { lastTransaction, requestOf, requestText, runDifferences, type Rerun, type RerunRequest } from './rerun';
export { awaitNewRegistration, relaunch, RegistrationTimeoutError, type Restart } from './restart';
export { BuildFailedError, buildBeforeLaunch, typeScriptBuildOf, type BuildOutcome, type TypeScriptBuild } from './typescriptBuild';
