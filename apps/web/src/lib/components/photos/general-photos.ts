import type { PublicJobView } from '@pitboard/job-model';

/**
 * The customer photos for the page's general "Photos from the shop" grid: those of an approval
 * line are shown with that line (ApprovalLines), so they are not repeated below it.
 */
export function generalPhotos(view: PublicJobView): PublicJobView['photos'] {
  const onLines = new Set(view.approvals.flatMap((line) => line.photoIds ?? []));
  // Older views (a stream frame from a server without photos) have no list: none shown.
  return (view.photos ?? []).filter((photo) => !onLines.has(photo.id));
}
