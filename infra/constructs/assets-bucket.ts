import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface AssetsBucketProps {
  /**
   * Empty and delete the bucket with the stack (a custom-resource Lambda does the emptying).
   * For throwaway dev stacks only; off by default so published ads survive a stack deletion.
   */
  readonly autoDeleteObjects?: boolean;
  /** How long superseded object versions are kept before they expire. Default: 30 days. */
  readonly noncurrentVersionExpiration?: Duration;
}

/** How long a staged variant may wait for its Publish step (minutes, normally) before S3 removes it. */
export const STAGING_EXPIRATION = Duration.days(3);

/** The asset store: products, storyboards, shots, published variants and manifests. Private, TLS-only, versioned. */
export class AssetsBucket extends s3.Bucket {
  constructor(scope: Construct, id: string, props: AssetsBucketProps = {}) {
    const autoDeleteObjects = props.autoDeleteObjects ?? false;
    super(scope, id, {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      autoDeleteObjects,
      removalPolicy: autoDeleteObjects ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      lifecycleRules: [
        // Re-renders overwrite keys; old media versions are only a safety net, not an archive.
        { id: 'expire-noncurrent', noncurrentVersionExpiration: props.noncurrentVersionExpiration ?? Duration.days(30) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Publish deletes its staged copies; this is the backstop for those a failed or crashed run left,
        // and it drops the versions the deletes leave behind after a day instead of the bucket's 30.
        { id: 'expire-staging', prefix: 'staging/', expiration: STAGING_EXPIRATION, noncurrentVersionExpiration: Duration.days(1) },
        { id: 'staging-delete-markers', prefix: 'staging/', expiredObjectDeleteMarker: true },
      ],
    });
  }
}
