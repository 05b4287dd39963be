// SPDX-License-Identifier: Apache-2.0
// Which implementation renders which profile, given the container's runtime flavor.
import { BATCH_PROFILE } from './profile-batch.ts';
import { CONFIG_ERROR_PROFILE, CRASHLOOP_PROFILE } from './profile-crash.ts';
import { databaseProfile } from './profile-database.ts';
import { OOM_PROFILE } from './profile-oom.ts';
import { jsonServiceProfile, webProfile } from './profile-web.ts';
import { WORKER_PROFILE } from './profile-worker.ts';
import type { LogEnv, LogProfile, ProfileImpl } from './types.ts';

export function profileImpl(profile: LogProfile, env: LogEnv): ProfileImpl {
  switch (profile) {
    case 'web':
      return webProfile(env);
    case 'json-service':
      return jsonServiceProfile();
    case 'worker':
      return WORKER_PROFILE;
    case 'database':
      return databaseProfile(env);
    case 'batch':
      return BATCH_PROFILE;
    case 'crashloop':
      return CRASHLOOP_PROFILE;
    case 'config-error':
      return CONFIG_ERROR_PROFILE;
    case 'oom':
      return OOM_PROFILE;
  }
}
