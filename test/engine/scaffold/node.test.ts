/** New Project for node: written, installed, its unit tests run, launched in dev mode, transactions run. */
import { describeNewProject } from './projectSuite';

describeNewProject('node', 'asset-node', 180_000);
