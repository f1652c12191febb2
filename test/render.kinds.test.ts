/** Issue 14: renderTemplate refuses an unknown template and a wrong set of variables with a TemplateError naming them. */
import { describe, expect, test } from '@jest/globals';
import { renderTemplate } from '../src/core/render.js';
import { TEMPLATE_LOCALS } from '../src/core/templates.compiled.js';
import { TemplateError } from '../src/core/yaml-scalar.js';

const DATA = {
  namespace: 'cnpg-system',
  monitoring: 'none',
  dependsOn: [],
  resources: [],
  monitoringLabels: {},
  inplaceUpdates: false,
  clustersRolloutDelay: null,
  instancesRolloutDelay: null,
  layout: 'infrastructure',
  replicas: 2,
  chartVersion: '0.26.0',
  flux: [],
};

describe('renderTemplate', () => {
  test('renders a known template with exactly the template variables, in any order', () => {
    const reversed = Object.fromEntries(Object.entries(DATA).reverse());
    expect(renderTemplate('pdb.yaml.ejs', reversed)).toContain('namespace: cnpg-system\n');
    expect(Object.keys(DATA).sort()).toEqual([...TEMPLATE_LOCALS].sort());
  });

  test('an unknown template is a TemplateError naming it', () => {
    expect(() => renderTemplate('nope.yaml.ejs', DATA)).toThrow(TemplateError);
    expect(() => renderTemplate('nope.yaml.ejs', DATA)).toThrow('no template nope.yaml.ejs');
  });

  test('an extra or a missing variable is a TemplateError listing both sets', () => {
    expect(() => renderTemplate('pdb.yaml.ejs', { ...DATA, extra: 1 })).toThrow(TemplateError);
    expect(() => renderTemplate('pdb.yaml.ejs', { ...DATA, extra: 1 })).toThrow(
      `template variables ${[...Object.keys(DATA), 'extra'].sort().join(', ')} are not ${TEMPLATE_LOCALS.join(', ')}`,
    );
    const { resources: _, ...missing } = DATA;
    expect(() => renderTemplate('kustomization.yaml.ejs', missing)).toThrow(`template variables ${Object.keys(missing).sort().join(', ')} are not `);
  });
});
