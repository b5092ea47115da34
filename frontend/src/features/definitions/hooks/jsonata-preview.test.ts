import { describe, expect, it } from 'vitest';

import { previewJsonata } from '@/features/definitions/hooks/jsonata-preview';

describe('previewJsonata', () => {
  it('evaluates conditions and transforms against sample data', async () => {
    expect(await previewJsonata('approved = true', { approved: true })).toEqual({ ok: true, value: true });
    expect(await previewJsonata('{"name": employee_name}', { employee_name: 'Grace' })).toEqual({
      ok: true,
      value: { name: 'Grace' },
    });
  });

  it('reports a syntax error with its position', async () => {
    const result = await previewJsonata('approved = ', {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/character/);
  });

  it('stops deep recursion at the depth bound', async () => {
    const result = await previewJsonata(
      '($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(1000))',
      {},
      {
        timeoutMs: 2000,
        maxDepth: 50,
      },
    );
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.error).toMatch(/stack|depth/i);
  });

  it('stops an endless loop at the time bound', async () => {
    const result = await previewJsonata(
      '($f := function($n){ $f($n + 1) }; $f(0))',
      {},
      {
        timeoutMs: 100,
        maxDepth: 1000,
      },
    );
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.error).toMatch(/timeout|100/i);
  });
});
