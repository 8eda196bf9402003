// TRUSTED_PROXIES: a comma-separated list of addresses or CIDR ranges, checked by proxy-addr (the
// library Express uses for the same setting) so a typo stops the start instead of trusting nobody.
import proxyaddr from 'proxy-addr';
import type { z } from 'zod';

export function parseCidrList(raw: string, ctx: z.RefinementCtx): string[] {
  const list = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  try {
    proxyaddr.compile(list);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `must be addresses or CIDR ranges separated by commas (${(err as Error).message})` });
    return [];
  }
  return list;
}
