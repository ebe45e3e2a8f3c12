/**
 * New Project: write a working contract project (Node, TypeScript, Go, Java) from the templates,
 * then install its dependencies with progress. Used by the CLI's `new` and the editor's command.
 */
export { ScaffoldError, ToolCancelledError, ToolFailedError } from './errors';
export { installDependencies, runProjectTests, type InstallProgress } from './install';
export { commandLine, isScaffoldLanguage, LANGUAGES, SCAFFOLD_LANGUAGES, type ScaffoldLanguage } from './languages';
export { defaultProjectName, projectNameProblem, projectNames } from './projectNames';
export type { ToolLine } from './toolRun';
export { targetFolderProblem, writeProject, type NewProject, type NewProjectRequest } from './writeProject';
