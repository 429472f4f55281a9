import { runStep } from '../shared/step.ts';
import { createAnomalyWatchAction } from './main.ts';

await runStep(createAnomalyWatchAction());
