// SPDX-License-Identifier: Apache-2.0
// Jobs (NAME STATUS COMPLETIONS DURATION AGE since Kubernetes 1.30) and CronJobs (with the TIMEZONE column).
import { ageSince, humanDuration, objectAge } from './age.ts';
import { AGE_COLUMN, NAME_COLUMN, col, templateColumns } from './column-defs.ts';
import { at, num, recs, timeMs } from './fields.ts';
import { containerCells, formatLabelSelector } from './format.ts';
import type { KubeObject } from '../../model/kube-types.ts';
import type { PrintContext, Printer } from './table-types.ts';

const JOB_SELECTOR_DOC =
  'A label query over pods that should match the pod count. Normally, the system sets this field for you. More ' +
  'info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors';

/** True when the first condition of that type has status True, as upstream's hasJobCondition. */
function hasJobCondition(job: KubeObject, type: string): boolean {
  const cond = recs(at(job, 'status', 'conditions')).find((c) => c['type'] === type);
  return cond !== undefined && cond['status'] === 'True';
}

const STATUS_BY_CONDITION: readonly [string, string][] = [
  ['Suspended', 'Suspended'],
  ['FailureTarget', 'FailureTarget'],
  ['SuccessCriteriaMet', 'SuccessCriteriaMet'],
];

/** Terminal conditions win over deletion, which wins over the transient ones. */
function jobStatus(job: KubeObject): string {
  if (hasJobCondition(job, 'Complete')) return 'Complete';
  if (hasJobCondition(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp !== undefined) return 'Terminating';
  const found = STATUS_BY_CONDITION.find(([type]) => hasJobCondition(job, type));
  return found === undefined ? 'Running' : found[1];
}

function jobCompletions(job: KubeObject): string {
  const succeeded = num(at(job, 'status', 'succeeded'));
  const completions = at(job, 'spec', 'completions');
  if (typeof completions === 'number') return `${succeeded}/${completions}`;
  const parallelism = num(at(job, 'spec', 'parallelism'));
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: KubeObject, ctx: PrintContext): string {
  const start = timeMs(at(job, 'status', 'startTime'));
  if (start === undefined) return '';
  const end = timeMs(at(job, 'status', 'completionTime'));
  return humanDuration((end ?? ctx.nowMs) - start);
}

export const jobPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Status', 'Status of the job.'),
    col(
      'Completions',
      'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. ' +
        'However, it may decrease in reaction to scale down of elastic indexed jobs.',
    ),
    col('Duration', 'Time required to complete the job.'),
    AGE_COLUMN,
    ...templateColumns(JOB_SELECTOR_DOC),
  ],
  print: (job, ctx) => ({
    cells: [
      job.metadata.name,
      jobStatus(job),
      jobCompletions(job),
      jobDuration(job, ctx),
      objectAge(job, ctx.nowMs),
      ...containerCells(at(job, 'spec', 'template', 'spec')),
      formatLabelSelector(at(job, 'spec', 'selector')),
    ],
  }),
};

const TIME_ZONE_DOC =
  'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. ' +
  'If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid ' +
  'time zone names and the time zone offset is loaded from the system-wide time zone database by the API server ' +
  'during CronJob validation and the controller manager during execution. If no system-wide time zone database ' +
  'can be found a bundled version of the database is used instead. If the time zone name becomes invalid during ' +
  'the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new ' +
  'Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in ' +
  'https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones';

const CRON_JOB_COLUMNS = [
  NAME_COLUMN,
  col('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
  col('Timezone', TIME_ZONE_DOC),
  col(
    'Suspend',
    'This flag tells the controller to suspend subsequent executions, it does not apply to already started ' +
      'executions.  Defaults to false.',
    { type: 'boolean' },
  ),
  col('Active', 'A list of pointers to currently running jobs.', { type: 'integer' }),
  col('Last Schedule', 'Information when was the last time the job was successfully scheduled.'),
  AGE_COLUMN,
  ...templateColumns(JOB_SELECTOR_DOC),
];

function cronJobCells(cj: KubeObject, ctx: PrintContext): (string | number)[] {
  const schedule = at(cj, 'spec', 'schedule');
  const timeZone = at(cj, 'spec', 'timeZone');
  const lastSchedule = at(cj, 'status', 'lastScheduleTime');
  const jobTemplateSpec = at(cj, 'spec', 'jobTemplate', 'spec');
  return [
    cj.metadata.name,
    typeof schedule === 'string' ? schedule : '',
    typeof timeZone === 'string' ? timeZone : '<none>',
    // The cell is the text True/False although the column type is boolean. batch/v1 defaults suspend to false.
    at(cj, 'spec', 'suspend') === true ? 'True' : 'False',
    recs(at(cj, 'status', 'active')).length,
    lastSchedule === undefined || lastSchedule === null ? '<none>' : ageSince(lastSchedule, ctx.nowMs),
    objectAge(cj, ctx.nowMs),
    ...containerCells(at(jobTemplateSpec, 'template', 'spec')),
    formatLabelSelector(at(jobTemplateSpec, 'selector')),
  ];
}

export const cronJobPrinter: Printer = {
  columns: CRON_JOB_COLUMNS,
  print: (cj, ctx) => ({ cells: cronJobCells(cj, ctx) }),
};
