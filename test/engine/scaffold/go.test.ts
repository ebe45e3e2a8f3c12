/** New Project for go: written, installed, its unit tests run, launched in dev mode, transactions run. */
import { describeNewProject } from './projectSuite';

describeNewProject('go', 'go_assets', 300_000);
