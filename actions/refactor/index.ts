import { runStep } from '../shared/step.ts';
import { run } from './main.ts';

await runStep(run);
