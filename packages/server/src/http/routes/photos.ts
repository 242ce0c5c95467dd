/**
 * Photos (docs/api.md, Photos): upload to a job, and the image for who may see it — staff and
 * the job's customer, or anyone holding the job's share link for a customer-visible photo.
 */
import type { PhotoService, ServedPhoto } from '../../photos/photo-service.js';
import { PhotoSizeQuery, PhotoUploadQuery, parseQuery } from '../photo-schema.js';
import { json, type Router } from '../router.js';

export function photoRoutes(router: Router, photos: PhotoService) {
  router.on('POST', '/api/jobs/:id/photos', async (ctx) => {
    const actor = await ctx.actor();
    const query = parseQuery(PhotoUploadQuery, Object.fromEntries(ctx.url.searchParams));
    const { id, created } = await photos.upload(actor, {
      jobId: ctx.params.id!,
      itemId: query.itemId || null,
      visibility: query.visibility,
      id: ctx.request.headers.get('idempotency-key'),
      request: ctx.request
    });
    return json({ id }, created ? 201 : 200);
  });

  router.on('GET', '/api/photos/:id', async (ctx) => {
    const size = parseQuery(PhotoSizeQuery, ctx.url.searchParams.get('size') ?? undefined);
    return image(await photos.forActor(await ctx.actor(), ctx.params.id!, size));
  });

  router.on('GET', '/api/share/:token/photos/:id', async (ctx) => {
    const size = parseQuery(PhotoSizeQuery, ctx.url.searchParams.get('size') ?? undefined);
    return image(await photos.forShareLink(ctx.params.token!, ctx.params.id!, size));
  });
}

/**
 * A photo never changes under its id: browsers may keep it for a year without asking again.
 * `private`: no shared cache (a proxy, a CDN) keeps it, as its URL alone must not give it away.
 */
function image(photo: ServedPhoto): Response {
  return new Response(photo.bytes as Uint8Array<ArrayBuffer>, {
    headers: {
      'content-type': photo.type,
      'content-length': String(photo.bytes.byteLength),
      'cache-control': 'private, max-age=31536000, immutable',
      'content-disposition': 'inline'
    }
  });
}
