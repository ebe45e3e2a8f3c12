/** New Project for typescript: written, installed, its unit tests run, launched in dev mode, transactions run. */
import { describeNewProject } from './projectSuite';

describeNewProject('typescript', 'AssetsTs', 240_000);
