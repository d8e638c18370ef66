import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTemplateFile, TemplateFileError } from '#domain/planning/template-catalog';

describe('template files', () => {
  it('every template in templates/ loads', () => {
    const files = readdirSync('templates').filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(parseTemplateFile(file, readFileSync(`templates/${file}`, 'utf8')).id).toBe(file.replace('.json', ''));
  });

  it('a wrong template names the file, the path inside it and what was expected', () => {
    const good = JSON.parse(readFileSync('templates/product-hero.json', 'utf8'));
    good.shots[1].camera = 'spin';
    const error = (() => {
      try {
        parseTemplateFile('product-hero.json', JSON.stringify(good));
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(TemplateFileError);
    expect(error!.message).toContain('product-hero.json');
    expect(error!.message).toContain('shots[1].camera');
    expect(error!.message).toMatch(/push-in/);
    expect(() => parseTemplateFile('x.json', '{nope')).toThrow(/not valid JSON/);
  });
});
