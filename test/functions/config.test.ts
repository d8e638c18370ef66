import { describe, expect, it } from 'vitest';
import { ConfigError, loadAwsConfig } from '#functions/commons/config';

describe('loadAwsConfig', () => {
  it('reads the environment and applies defaults', () => {
    expect(loadAwsConfig({ TABLE_NAME: 't', ASSETS_BUCKET: 'b', OTHER: 'x' })).toEqual({ TABLE_NAME: 't', ASSETS_BUCKET: 'b' });
    expect(loadAwsConfig({ TABLE_NAME: 't', ASSETS_BUCKET: 'b', AWS_REGION: 'eu-west-1' })).toEqual({
      TABLE_NAME: 't',
      ASSETS_BUCKET: 'b',
      AWS_REGION: 'eu-west-1',
    });
  });

  it('fails fast naming each missing variable', () => {
    const error = (() => {
      try {
        loadAwsConfig({ TABLE_NAME: '' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', name: 'ConfigError', variables: ['TABLE_NAME', 'ASSETS_BUCKET'] });
    expect((error as Error).message).toContain('TABLE_NAME is not set');
    expect((error as Error).message).toContain('ASSETS_BUCKET is not set');
  });
});
