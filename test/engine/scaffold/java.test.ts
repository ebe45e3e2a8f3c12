/** New Project for java: written, installed, its unit tests run, launched in dev mode, transactions run. */
import { describeNewProject } from './projectSuite';

describeNewProject('java', 'java-assets', 420_000);
