import { z } from 'zod';
import { sha256 } from '#domain/hash';
import { campaignFileKey, uploadFileKey } from '#domain/model/asset-keys';
import type { AssetStore } from '#ports/asset-store';
import { ingestUpload, type UploadOutcome } from '#triggers/ingest-upload';
import type { TriggerDeps } from '#ports/trigger-deps';
import { MIME } from '#domain/model/content-types';

/** The S3 "Object Created" event EventBridge delivers for the uploads bucket. Keys: <campaign-id>/<file>. */
const ObjectCreated = z.object({
  detail: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({
      key: z.string().regex(/^[a-z0-9-]{1,64}\/[^/]+\.(csv|json|jsonl|ndjson)$/i, '<campaign-id>/<file>.csv|json|jsonl'),
      etag: z.string().optional(),
      sequencer: z.string().optional(),
    }),
  }),
});

/** Copies the upload into the asset store under a run id derived from the object version, then ingests it. */
export const makeHandler =
  (deps: TriggerDeps, uploads: AssetStore) =>
  async (event: unknown): Promise<UploadOutcome> => {
    const { object } = ObjectCreated.parse(event).detail;
    const key = decodeURIComponent(object.key.replace(/\+/g, ' '));
    const [campaignId, name] = key.split('/');
    // The same object version always gets the same run id: EventBridge's at-least-once delivery starts one run.
    const runId = `upload-${sha256(`${key}\u001f${object.sequencer ?? object.etag ?? ''}`).slice(0, 20)}`;
    const uploadKey = uploadFileKey(runId, name);
    await deps.store.putBytes(uploadKey, await uploads.getBytes(key), MIME.binary);
    return ingestUpload(deps, { runId, uploadKey, campaignKey: campaignFileKey(campaignId) });
  };
