/**
 * Test support for the replica tests: an in-memory server behind a fake link, a localStorage
 * for node, fresh users. The server is outside what these tests check (the real one is in
 * renamed-refusal.test.ts and the browser journeys).
 */
import 'fake-indexeddb/auto';
import { afterEach, vi } from 'vitest';
import * as Y from 'yjs';
import { addNote, createJob, readJob } from '@pitboard/job-model';
import { closeLocalDbs } from '../db';
import type { Connect, Link, LinkHooks } from '../link';

export const MECH = 'mech-1';

// A tiny localStorage for the write-ahead copy of edits (node has none).
export const memory = new Map<string, string>();
(globalThis as { localStorage?: Storage }).localStorage ??= {
  get length() {
    return memory.size;
  },
  key: (i: number) => [...memory.keys()][i] ?? null,
  getItem: (k: string) => memory.get(k) ?? null,
  setItem: (k: string, v: string) => void memory.set(k, String(v)),
  removeItem: (k: string) => void memory.delete(k),
  clear: () => memory.clear()
} as Storage;
export const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const until = (cond: () => boolean | Promise<boolean>, ms = 3000) => vi.waitUntil(cond, { timeout: ms, interval: 10 });

/** A server: one doc per name, links that can go offline, refuse, and answer SyncStep1. */
export class FakeServer {
  docs = new Map<string, Y.Doc>();
  online = true;
  received = 0;
  links = new Set<{ hooks: LinkHooks; doc: Y.Doc; name: string; origin: object; up: boolean }>();
  denied: string | null = null;
  /** Set: every change a client sends is refused with this reason (the document is closed). */
  refusing: string | null = null;
  /** Documents whose links were destroyed with `forget` (nothing they sent may reach us later). */
  forgotten: string[] = [];

  doc(name: string) {
    let d = this.docs.get(name);
    if (!d) {
      d = new Y.Doc();
      this.docs.set(name, d);
    }
    return d;
  }

  private handshake(l: { hooks: LinkHooks; doc: Y.Doc; name: string; origin: object; up: boolean }) {
    if (!this.online) return;
    if (this.denied) return l.hooks.onAuthFailed(this.denied);
    l.up = true;
    l.hooks.onConnected(true);
    l.hooks.onAuthenticated();
    const server = this.doc(l.name);
    // SyncStep1/2 both ways, as the Hocuspocus handshake does.
    Y.applyUpdate(l.doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(l.doc)), l.origin);
    l.hooks.onServerState(Y.encodeStateVector(server));
    l.hooks.onSynced();
    if (this.refusing && hasNews(l.doc, server)) return this.refuse(l);
    this.received++;
    Y.applyUpdate(server, Y.encodeStateAsUpdate(l.doc, Y.encodeStateVector(server)));
    l.hooks.onAck();
  }

  private refuse(l: { hooks: LinkHooks; up: boolean }) {
    l.up = false;
    l.hooks.onRefused(this.refusing!);
  }

  connect: Connect = (name, doc, hooks) => {
    const l = { hooks, doc, name, origin: {}, up: false };
    this.links.add(l);
    const server = this.doc(name);
    const fwd = (u: Uint8Array, origin: unknown) => {
      for (const o of this.links) if (o !== l && o.name === name && o.up && origin !== o.origin) Y.applyUpdate(o.doc, u, o.origin);
    };
    server.on('update', fwd);
    queueMicrotask(() => this.handshake(l));
    const link: Link = {
      origin: l.origin,
      send: (u) => {
        if (!this.online || !l.up) return;
        if (this.refusing) return this.refuse(l);
        this.received++;
        Y.applyUpdate(server, u);
        queueMicrotask(() => l.hooks.onAck());
      },
      verify: () => {
        if (this.online && l.up) queueMicrotask(() => l.hooks.onServerState(Y.encodeStateVector(server)));
      },
      destroy: (options) => {
        if (options?.forget) this.forgotten.push(name);
        this.links.delete(l);
        server.off('update', fwd);
      }
    };
    return link;
  };

  setOnline(online: boolean) {
    this.online = online;
    for (const l of this.links) {
      if (!online) {
        l.up = false;
        l.hooks.onConnected(false);
      } else this.handshake(l);
    }
  }
}

/** Whether `doc` has changes `server` lacks (what the client's SyncStep2 would carry). */
function hasNews(doc: Y.Doc, server: Y.Doc): boolean {
  const theirs = Y.decodeStateVector(Y.encodeStateVector(server));
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) if (clock > (theirs.get(client) ?? 0)) return true;
  return false;
}

export function seed(server: FakeServer, jobId: string, items = ['Fix brakes', 'True wheel']) {
  createJob(server.doc(`job:${jobId}`), {
    id: jobId,
    number: 1006,
    bike: 'Trek Domane',
    customerId: 'c1',
    customerName: 'Chris',
    items,
    createdAt: new Date().toISOString()
  } as Parameters<typeof createJob>[1]);
  assign(server, jobId);
}
export function assign(server: FakeServer, jobId: string) {
  server.doc(`job:${jobId}`).getMap('job').set('assigneeId', MECH);
}

let n = 0;
export function freshUser() {
  return `${MECH}-${++n}-${Math.random().toString(36).slice(2)}`;
}

afterEach(() => closeLocalDbs());

/** The write-ahead copies left in localStorage for a job. */
export function walOf(user: string, jobId: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    if (k?.startsWith(`pitboard:wal:${user}:${jobId}:`)) out.push(k);
  }
  return out;
}

/** An edit of a tab that was closed before IndexedDB had it: only its write-ahead copy is left. */
export function cutOffEdit(user: string, jobId: string, base: Y.Doc, text: string) {
  const tab = new Y.Doc();
  Y.applyUpdate(tab, Y.encodeStateAsUpdate(base));
  let lost: Uint8Array | null = null;
  tab.on('update', (u: Uint8Array) => (lost = u));
  addNote(tab, { text, authorId: MECH, at: new Date().toISOString(), visibility: 'internal' });
  const clock = Y.getState(tab.store, tab.clientID);
  localStorage.setItem(`pitboard:wal:${user}:${jobId}:${tab.clientID}:${clock}`, JSON.stringify({ u: Buffer.from(lost!).toString('base64'), at: new Date().toISOString() }));
}

export const noteTexts = (doc: Y.Doc) => readJob(doc).notes.map((x) => x.text);
