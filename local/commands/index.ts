import type { Command } from 'commander';
import { registerCampaignCommand } from './campaign.ts';
import { registerPlanCommand } from './plan.ts';
import { registerRenderServerCommand } from './render-server.ts';
import { registerRefreshCommand } from './refresh.ts';
import { registerRunCommands } from './run.ts';
import { registerServeCommand } from './serve.ts';
import { registerStatusCommand } from './status.ts';

/** Every CLI command, one registrar per file in local/commands/ (add new commands here, one line each). */
export const COMMANDS: Array<(program: Command) => void> = [
  registerRunCommands,
  registerPlanCommand,
  registerStatusCommand,
  registerServeCommand,
  registerRefreshCommand,
  registerRenderServerCommand,
  registerCampaignCommand,
];
