/** MTLS_PROFILE=strict makes strict findings fail the run; by default (baseline) they are warnings. */
export function profileFromEnv(env: NodeJS.ProcessEnv = process.env): 'baseline' | 'strict' {
  const raw = env.MTLS_PROFILE?.trim() || 'baseline';
  if (raw !== 'baseline' && raw !== 'strict')
    throw new Error(`MTLS_PROFILE must be baseline or strict, got ${JSON.stringify(raw)}`);
  return raw;
}
