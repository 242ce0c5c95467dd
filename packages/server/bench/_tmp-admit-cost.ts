import * as Y from 'yjs';
import { addNote, checkChange, createJob, readJob, readRaw, setItemDone } from '@pitboard/job-model';
for (const n of [0, 100, 1000, 5000, 20000]) {
  const doc = new Y.Doc();
  createJob(doc, { id: 'j', number: 1, bike: 'b', description: '', customerId: 'c', customerName: 'C', items: ['a', 'b'], createdAt: new Date().toISOString(), assigneeId: 'm' });
  for (let i = 0; i < n; i++) addNote(doc, { id: `n${i}`, text: 'tiny', authorId: 'm', at: new Date().toISOString(), visibility: 'internal' });
  const id = readJob(doc).items[0]!.id;
  const runs = 50;
  let before = readRaw(doc);
  const t0 = performance.now();
  for (let r = 0; r < runs; r++) {
    setItemDone(doc, id, r % 2 === 0, 'm', new Date().toISOString());
    const after = readRaw(doc);
    checkChange({ id: 'm', role: 'mechanic' }, before, after);
    before = after;
  }
  console.log(`${n} notes: readRaw+checkChange per tick ${((performance.now() - t0) / runs).toFixed(2)} ms`);
}
