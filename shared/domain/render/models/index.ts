import { ModelProfile } from '#domain/render/model-profile';
import { profile as adlineHttp } from './adline-http.ts';
import { profile as bedrockLumaRay2 } from './bedrock-luma-ray-2.ts';
import { profile as bedrockNovaReel } from './bedrock-nova-reel.ts';
import { profile as falKling21Pro } from './fal-kling-v2.1-pro.ts';
import { profile as falKling21Standard } from './fal-kling-v2.1-standard.ts';
import { profile as falKling25TurboPro } from './fal-kling-v2.5-turbo-pro.ts';
import { profile as falLtxVideo13b } from './fal-ltx-video-13b.ts';
import { profile as falSeedanceV1Pro } from './fal-seedance-v1-pro.ts';
import { profile as falWan22 } from './fal-wan-v2.2-a14b.ts';
import { profile as replicateKling21Pro } from './replicate-kling-v2.1-pro.ts';
import { profile as replicateKling21Standard } from './replicate-kling-v2.1-standard.ts';
import { profile as replicateKling25TurboPro } from './replicate-kling-v2.5-turbo-pro.ts';
import { profile as replicateWan22 } from './replicate-wan-2.2-i2v-a14b.ts';
import { profile as sagemakerWan22 } from './sagemaker-wan-2.2-async.ts';

/** Every model profile adline knows, validated once at load; adding a model is one file plus one line here. */
export const MODEL_PROFILES: readonly ModelProfile[] = [
  falKling21Standard,
  falKling21Pro,
  falKling25TurboPro,
  replicateKling21Standard,
  replicateKling21Pro,
  replicateKling25TurboPro,
  falWan22,
  replicateWan22,
  falSeedanceV1Pro,
  falLtxVideo13b,
  bedrockNovaReel,
  bedrockLumaRay2,
  sagemakerWan22,
  adlineHttp,
].map((p) => ModelProfile.parse(p));

/** The profile used when a campaign names none: the first of the renderer kind's profiles above. */
export const DEFAULT_PROFILE: Readonly<Record<ModelProfile['provider'], string>> = {
  fal: 'fal-kling-v2.1-standard',
  replicate: 'replicate-kling-v2.1-standard',
  bedrock: 'bedrock-nova-reel',
  sagemaker: 'sagemaker-wan-2.2-async',
  http: 'adline-http',
};

/** The profile with this id, or undefined. */
export function findProfile(id: string): ModelProfile | undefined {
  return MODEL_PROFILES.find((p) => p.id === id);
}
