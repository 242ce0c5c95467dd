/**
 * The demo workshop: seeded into an empty database when PITBOARD_DEMO allows it, so a new
 * user sees a live board at once. Its logins are fixed and printed at every start.
 */
import { assignMechanic, recordQc, reportStuck, setItemDone, addNote, type Actor } from '@pitboard/job-model';
import { addUser } from './auth/users.js';
import type { JobService } from './jobs/job-service.js';
import type { Storage } from './storage/index.js';

export const DEMO_PASSWORD = 'pitboard-demo';
export const DEMO_USERS = [
  { role: 'manager', email: 'manager@demo.pitboard.dev', name: 'Maya Manager' },
  { role: 'mechanic', email: 'mechanic@demo.pitboard.dev', name: 'Theo Wrench' },
  { role: 'mechanic', email: 'mechanic2@demo.pitboard.dev', name: 'Ana Spoke' },
  { role: 'customer', email: 'customer@demo.pitboard.dev', name: 'Chris Rider' }
] as const;

export async function seedDemo({ storage, jobs }: { storage: Storage; jobs: JobService }) {
  if ((await storage.countUsers()) === 0) {
    const users = [];
    for (const u of DEMO_USERS) users.push(await addUser(storage, { ...u, password: DEMO_PASSWORD }));
    const [manager, theo, ana, chris] = users as [NonNullable<(typeof users)[0]>, ...typeof users];
    const boss: Actor = { id: manager.id, role: 'manager' };
    const now = () => new Date().toISOString();
    const make = async (bike: string, items: string[], customer: { id: string } | { name: string }) =>
      (await jobs.create(boss, { bike, items, customer })).job.id;

    await make('Brompton M6L, black', ['Puncture repair rear', 'Check tyre pressure'], { name: 'Sam Lee' });
    const a = await make('Trek Domane SL5', ['Full service', 'Replace chain', 'True rear wheel', 'Bleed brakes'], { id: chris!.id });
    await jobs.change(a, boss, (d) => assignMechanic(d, theo!.id, now()));
    const items = (await jobs.facts(a)).items;
    const theoActor: Actor = { id: theo!.id, role: 'mechanic' };
    await jobs.change(a, theoActor, (d) => setItemDone(d, items[0]!.id, true, theo!.id, now()));
    await jobs.change(a, theoActor, (d) => setItemDone(d, items[1]!.id, true, theo!.id, now()));
    await jobs.change(a, theoActor, (d) => addNote(d, { text: 'Chain was at 0.75 wear — replaced.', authorId: theo!.id, at: now(), visibility: 'customer' }));
    await jobs.change(a, theoActor, (d) => addNote(d, { text: 'Customer haggled on price last time; quote first.', authorId: theo!.id, at: now(), visibility: 'internal' }));

    const b = await make('Specialized Rockhopper', ['Replace brake pads', 'Adjust gears'], { name: 'Jo Park' });
    await jobs.change(b, boss, (d) => assignMechanic(d, ana!.id, now()));
    const anaActor: Actor = { id: ana!.id, role: 'mechanic' };
    await jobs.change(b, anaActor, (d) => reportStuck(d, { reason: 'Waiting for Shimano pads (out of stock)', by: ana!.id, at: now() }));

    const c = await make('Cannondale CAAD13', ['Replace bar tape', 'Index rear derailleur'], { name: 'Riley Fox' });
    await jobs.change(c, boss, (d) => assignMechanic(d, ana!.id, now()));
    for (const item of (await jobs.facts(c)).items) {
      await jobs.change(c, anaActor, (d) => setItemDone(d, item.id, true, ana!.id, now()));
    }

    const e = await make('Gazelle Ultimate C8', ['Hub service', 'Replace bell'], { id: chris!.id });
    await jobs.change(e, boss, (d) => assignMechanic(d, theo!.id, now()));
    for (const item of (await jobs.facts(e)).items) {
      await jobs.change(e, theoActor, (d) => setItemDone(d, item.id, true, theo!.id, now()));
    }
    await jobs.change(e, boss, (d) => recordQc(d, { pass: true, by: manager.id, at: now(), note: 'Rolls smooth.' }));
  }
  const present = await Promise.all(DEMO_USERS.map((u) => storage.getUserByEmail(u.email)));
  return DEMO_USERS.filter((_, i) => present[i]?.passwordHash).map((u) => ({ role: u.role, email: u.email, password: DEMO_PASSWORD }));
}

/** What a started core knows of its demo (Pitboard's `demoLogins` and `config`; no import of it: it imports this). */
export function printDemoLogins(pitboard: { demoLogins: { role: string; email: string; password: string }[]; config: { publicUrl: string } }): void {
  if (pitboard.demoLogins.length === 0) return;
  const lines = pitboard.demoLogins.map((l) => `  ${l.role.padEnd(9)} ${l.email.padEnd(30)} ${l.password}`);
  process.stdout.write(`\nPitboard demo workshop — open ${pitboard.config.publicUrl}/login\n${lines.join('\n')}\n\n`);
}
