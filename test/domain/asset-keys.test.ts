import { describe, expect, it } from 'vitest';
import {
  adManifestKey,
  campaignFileKey,
  campaignFileKeyOf,
  campaignIdOfKey,
  productAdsPrefix,
  productFileKey,
  publishedAdBase,
  renderAttemptKey,
  renderJobFileKey,
  renderPlateKeys,
  uploadFileKey,
  uploadsPrefix,
  storyboardFileKey,
} from '#domain/model/asset-keys';

describe('asset keys', () => {
  it('a campaign file is campaigns/<id>.json, and its id reads back from the key', () => {
    expect(campaignFileKey('spring-launch')).toBe('campaigns/spring-launch.json');
    expect(campaignIdOfKey(campaignFileKey('spring-launch'))).toBe('spring-launch');
    expect(campaignIdOfKey('campaigns/nested/x.json')).toBeUndefined();
    expect(campaignIdOfKey('campaigns/Upper.json')).toBeUndefined();
    expect(campaignIdOfKey('campaigns/x.json.bak')).toBeUndefined();
  });

  it('a campaign a person names keeps only the characters an id can hold', () => {
    expect(campaignFileKeyOf('../spring-launch')).toBe('campaigns/spring-launch.json');
    expect(campaignFileKeyOf('Spring Launch!')).toBe('campaigns/pringaunch.json');
  });

  it('an upload lands under uploads/<run>/ with a name safe for a key', () => {
    expect(uploadsPrefix('run-1')).toBe('uploads/run-1/');
    expect(uploadFileKey('run-1', 'skus.csv')).toBe('uploads/run-1/skus.csv');
    expect(uploadFileKey('run-1', 'my skus (1).csv')).toBe('uploads/run-1/my_skus__1_.csv');
    expect(uploadFileKey('run-1', 'a/b.csv')).toBe('uploads/run-1/a_b.csv');
  });

  it('published ads and the manifest sit under ads/<campaign>/<sku>/', () => {
    expect(productAdsPrefix('c', 'SKU-1')).toBe('ads/c/SKU-1/');
    expect(publishedAdBase({ campaignId: 'c', sku: 'SKU-1', templateId: 'product-hero', channel: 'tiktok' })).toBe('ads/c/SKU-1/product-hero/tiktok');
    expect(adManifestKey('c', 'SKU-1')).toBe('ads/c/SKU-1/manifest.json');
    expect(publishedAdBase({ campaignId: 'c', sku: 'SKU-1', templateId: 't', channel: 'x' }).startsWith(productAdsPrefix('c', 'SKU-1'))).toBe(true);
  });

  it('render outputs are keyed by the render hash', () => {
    expect(renderPlateKeys('abc')).toEqual({ plate: 'renders/abc.png', background: 'renders/abc.bg.png', product: 'renders/abc.product.png' });
    expect(renderAttemptKey('abc', 2)).toBe('renders/abc/attempt-2.mp4');
  });

  it('documents a run writes are keyed by content: products, storyboards, render jobs', () => {
    expect(productFileKey('SKU-1', 'p1')).toBe('products/SKU-1/p1.json');
    expect(storyboardFileKey('s1')).toBe('storyboards/s1.json');
    expect(renderJobFileKey('r1')).toBe('render-jobs/r1.json');
  });
});
