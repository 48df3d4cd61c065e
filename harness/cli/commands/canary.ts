import { type Command, Option } from 'commander';
import { parseDuration, parseSteps } from '../../../canary/controller/config.ts';
import type { JudgeFlags, RunFlags, ServeFlags } from '../actions/canary.ts';
import { asFlag, collect, integer, numberIn } from '../flags.ts';
import { pushgatewayOption } from '../pushgateway-option.ts';
import { action } from '../run-command.ts';

/**
 * `shipgate canary run | judge | serve` (issue 6): the rollout itself, one judgement for
 * CI and Argo job providers, and the gate server Flagger and Argo call. Flags here; the
 * work in actions/canary.ts (loaded when the command runs).
 */
export function registerCanary(program: Command): void {
  const canary = program
    .command('canary')
    .description('canary gate: roll out step by step, judge canary vs baseline, roll back automatically');
  const run = canary
    .command('run')
    .description(
      'run (or resume) a canary rollout: step weights, analysis each interval, promote or roll back',
    );
  addRolloutOptions(addSourceOptions(run))
    .option(
      '--config <file>',
      "the gate's config (source, actuator, metrics, versions, rollout settings); flags override it",
    )
    .option('--run-dir <dir>', 'run folder (default .shipgate/runs/<time>-<id>)')
    .option('--resume <dir>', 'resume the rollout journaled in this run folder')
    .addOption(pushgatewayOption())
    .option('--json', 'print the outcome as JSON')
    .action(action(async (flags: RunFlags) => (await import('../actions/canary.ts')).canaryRun(flags)));
  const judge = canary
    .command('judge')
    .description(
      'one judgement of canary vs baseline (CI, Argo job provider): exit 0 pass, 1 fail, 3 inconclusive',
    );
  addSourceOptions(judge)
    .option('--config <file>', JUDGING_CONFIG)
    .option('--window <duration>', 'time between the two snapshots judged', duration, 60_000)
    .addOption(alphaOption())
    .option('--run-dir <dir>', 'run folder')
    .option('--json', 'print the verdict as JSON')
    .action(action(async (flags: JudgeFlags) => (await import('../actions/canary.ts')).canaryJudge(flags)));
  const serve = canary
    .command('serve')
    .description(
      'the gate server for Flagger webhooks and the Argo Rollouts web provider (token from SHIPGATE_GATE_TOKEN)',
    );
  addSourceOptions(serve)
    .option('--config <file>', JUDGING_CONFIG)
    .option('--port <n>', 'port', integer('--port', 0, 65535), 8787)
    .option('--host <host>', 'interface to bind (loopback unless told otherwise)', '127.0.0.1')
    .addOption(alphaOption())
    .action(action(async (flags: ServeFlags) => (await import('../actions/canary.ts')).canaryServe(flags)));
}

const duration = asFlag(parseDuration);
const JUDGING_CONFIG =
  "the gate's config: its metric source, metrics, version label, alpha and margins (flags override)";
const alphaOption = (what = 'most often a release as good as the current one may be rolled back') =>
  new Option('--alpha <p>', what).argParser(numberIn('--alpha', 1e-9, 0.5));

function addSourceOptions(command: Command): Command {
  return command
    .option(
      '--prometheus <url>',
      'Prometheus (or Thanos, Mimir) base URL; token from SHIPGATE_PROMETHEUS_TOKEN',
    )
    .option(
      '--scrape <url>',
      'scrape this /metrics endpoint directly (repeatable); the default without Prometheus',
      collect,
    );
}

function addRolloutOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--actuator <kind>', "what moves traffic (default router, or the config's)").choices([
        'router',
        'webhook',
        'argo',
      ]),
    )
    .option('--router <url>', 'the sandbox traffic router (admin token from SHIPGATE_ADMIN_TOKEN)')
    .option('--webhook <url>', 'generic webhook actuator URL (token from SHIPGATE_WEBHOOK_TOKEN)')
    .option('--rollout <name>', 'Argo Rollouts rollout name (--actuator argo)')
    .option('--namespace <ns>', 'Kubernetes namespace (--actuator argo)')
    .option('--canary-url <url>', "the canary platform's base URL, for the blast radius after a rollback")
    .option('--steps <list>', 'canary weights in percent, e.g. 1,5,25,50,100', asFlag(parseSteps))
    .option('--interval <duration>', 'time between analyses, e.g. 10s', duration)
    .option('--min-step <duration>', 'minimum time per step, e.g. 5m', duration)
    .option('--min-samples <n>', 'minimum canary orders per step', integer('--min-samples', 0))
    .option('--max-duration <duration>', 'roll back if not promoted within this, e.g. 4h', duration)
    .addOption(
      alphaOption('most often a release as good as the current one may be rolled back (default 0.01)'),
    );
}
