/** A duration in hours as people read it: minutes under an hour, hours (one decimal) up to two days, then days. */
export function duration(hours: number | null | undefined): string {
  if (hours === null || hours === undefined || !Number.isFinite(hours)) return '–';
  if (hours < 1) {
    const minutes = Math.round(hours * 60);
    if (minutes < 1) return hours <= 0 ? '0 min' : 'under a minute';
    return `${minutes} min`;
  }
  if (hours < 48) return `${Math.round(hours * 10) / 10} h`;
  return `${Math.round((hours / 24) * 10) / 10} days`;
}
