/**
 * Assigning a mechanic from the manager's pages, with the failure said in plain words.
 * The caller puts its select back to the current assignee when this returns an error.
 */
export async function requestAssign(jobId: string, mechanicId: string | null): Promise<{ ok: true } | { ok: false; reason: string }> {
  let res: Response;
  try {
    res = await fetch(`/api/jobs/${jobId}/assign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mechanicId })
    });
  } catch {
    // fetch rejects only when no answer came back at all ("Failed to fetch").
    return { ok: false, reason: 'there is no connection to the server. Check the network and try again' };
  }
  if (res.ok) return { ok: true };
  const error = ((await res.json().catch(() => ({}))) as { error?: string }).error;
  return { ok: false, reason: error ? `the server said: ${error}` : `the server answered ${res.status}` };
}
