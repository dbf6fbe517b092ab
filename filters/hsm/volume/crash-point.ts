// Crash hooks for the crash tests: STRATA_HSM_CRASH_AT="<point>" (or "<point>#<n>" for its n-th pass)
// kills the process with SIGKILL when a migration or recall reaches that point, so a test can prove
// that the journal brings every file back at the next start. Unset (always, outside tests), it costs
// one environment lookup.

const passes = new Map<string, number>();

export function crashPoint(point: string): void {
  const target = process.env.STRATA_HSM_CRASH_AT;
  if (target === undefined || target === '') return;
  const [name, nth] = target.split('#');
  if (name !== point) return;
  const count = (passes.get(point) ?? 0) + 1;
  passes.set(point, count);
  if (count >= Number(nth ?? 1)) process.kill(process.pid, 'SIGKILL');
}
