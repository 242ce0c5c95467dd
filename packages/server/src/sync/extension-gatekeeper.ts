/**
 * Runs every incoming job update through Admission before Hocuspocus applies it. Throwing here
 * closes the connection with `{code, reason}`: the update is never applied, stored or broadcast.
 */
import type { beforeSyncPayload, Extension } from '@hocuspocus/server';
import { refusal, SyncRefusal } from '../errors.js';
import type { Logger } from '../log.js';
import type { Admission } from './admission.js';
import { isEmptyUpdate } from './clone.js';
import type { ConnectionContext } from './context.js';
import { logIfRefusal } from './refusal-log.js';

const SYNC_STEP_1 = 0;

export class Gatekeeper implements Extension {
  extensionName = 'pitboard-gatekeeper';

  constructor(
    private readonly admission: Admission,
    private readonly log: Logger
  ) {}

  async beforeSync({ type, payload, document, context }: beforeSyncPayload<ConnectionContext>): Promise<void> {
    if (type === SYNC_STEP_1) return; // a state vector: asks for changes, writes nothing
    try {
      if (context.address?.kind !== 'job') {
        if (isEmptyUpdate(payload)) return; // a read-only client's empty sync step 2
        throw refusal('read_only');
      }
      await this.admission.admit(document, { id: context.user.id, role: context.user.role }, payload);
    } catch (error) {
      logIfRefusal(this.log, error, document.name, context.user?.id ?? null);
      throw new SyncRefusal(error);
    }
  }
}
