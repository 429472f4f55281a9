import { runStep } from '../shared/step.ts';
import { createChaosReportAction } from './main.ts';

await runStep(createChaosReportAction());
