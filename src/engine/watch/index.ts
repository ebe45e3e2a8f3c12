/** Watch and reload (issue 12 item 3): the folder watcher, the TypeScript build, the reload over the launcher. */
export { diagnosticText, type BuildDiagnostic } from './buildDiagnostics';
export { ChaincodeWatch, WatchUnsupportedError, type ChaincodeWatchOptions, type ReloadOutcome, type ReloadTimings, type ReloadTrigger, type WatchTarget } from './chaincodeWatch';
export { lastTransaction, runDifferences, type Rerun } from './rerun';
export { requestKey, requestOf, requestText, type RerunRequest } from './rerunRequest';
export { awaitNewRegistration, relaunch, RegistrationTimeoutError, type Restart } from './restart';
export { BuildFailedError, buildBeforeLaunch, typeScriptBuildOf, type BuildOutcome, type TypeScriptBuild } from './typescriptBuild';
