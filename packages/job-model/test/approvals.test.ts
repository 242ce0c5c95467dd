/** Priced lines, proposals and decisions (SPEC S5, D9, A1–A6, P10–P12, E10–E11, V2). */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { itemsArray, readJob, readRaw } from '../src/doc.js';
import { addPricedItem, decideApproval, editItem, formatMoney, proposeItem, totalOf } from '../src/approvals.js';
import { deriveEvents, isEventMoot } from '../src/events.js';
import { recordQc, removeItem, setItemDone } from '../src/ops.js';
import { checkChange } from '../src/permissions.js';
import { deriveStatus, progressOf } from '../src/status.js';
import { publicView } from '../src/view.js';
import type { Violation, Writer } from '../src/types.js';
import { CUSTOMER, MANAGER, MECHANIC, OTHER_MECHANIC, at, expectRefusedInput, jobDoc, replicaOf, send } from './helpers.js';

const LINK = { id: 'link-1', role: 'share_link' } as const;
const ids = (doc: Y.Doc) => readJob(doc).items.map((i) => i.id);
const facts = (doc: Y.Doc) => readJob(doc);
const lineOf = (doc: Y.Doc, id: string) => facts(doc).items.find((i) => i.id === id)!;

function attempt(actor: Writer, server: Y.Doc, write: (doc: Y.Doc) => void): Violation[] {
  const client = replicaOf(server);
  write(client);
  const trial = replicaOf(server);
  send(client, trial);
  return checkChange(actor, readRaw(server), readRaw(trial));
}
const paths = (v: Violation[]) => v.map((x) => x.path).sort();

const pads = { title: 'Replace brake pads', price: 4500, reason: 'Pads worn to 1 mm', by: MECHANIC.id, at: at(5) };
const decide = (decision: 'approved' | 'declined', doc: Y.Doc, id: string, minute = 6) =>
  decideApproval(doc, id, { decision, at: at(minute), via: LINK.id, title: lineOf(doc, id).title, price: lineOf(doc, id).price ?? 0 });

/** A job with every original item done, plus a proposal from the mechanic. */
function withProposal(): { doc: Y.Doc; line: string } {
  const doc = jobDoc();
  for (const id of ids(doc)) setItemDone(doc, id, true, MECHANIC.id, at(2));
  const line = proposeItem(doc, pads);
  return { doc, line };
}

describe('S5: priced lines and proposals', () => {
  it('S5: a proposal reads back with its price, reason, who and when; it is pending', () => {
    const { doc, line } = withProposal();
    expect(lineOf(doc, line)).toEqual({ id: line, title: 'Replace brake pads', done: false, price: 4500, approval: 'pending', reason: 'Pads worn to 1 mm', proposedBy: MECHANIC.id, proposedAt: at(5) });
  });

  it('S5/S3: bad input throws and changes nothing (negative, fractional or huge price, long reason, empty title)', () => {
    const doc = jobDoc();
    expectRefusedInput(doc, () => proposeItem(doc, { ...pads, price: -1 }), /price/);
    expectRefusedInput(doc, () => proposeItem(doc, { ...pads, price: 12.5 }), /price/);
    expectRefusedInput(doc, () => proposeItem(doc, { ...pads, price: 1e12 }), /price/);
    expectRefusedInput(doc, () => proposeItem(doc, { ...pads, reason: 'x'.repeat(501) }), /reason/);
    expectRefusedInput(doc, () => proposeItem(doc, { ...pads, title: ' ' }), /title/);
    expectRefusedInput(doc, () => addPricedItem(doc, { title: 'Tyres', price: -5 }), /price/);
  });

  it('S5/S2: a mistyped price or state reads as absent', () => {
    const doc = jobDoc();
    const item = itemsArray(doc).get(0) as Y.Map<unknown>;
    item.set('price', '12');
    item.set('approval', 'maybe');
    expect(facts(doc).items[0]).not.toHaveProperty('price');
    expect(facts(doc).items[0]).not.toHaveProperty('approval');
  });
});

describe('D9 and A1: status, progress, total and QC with approvals', () => {
  it('D9: a pending line makes the job awaiting_approval, after stuck (D3) and before quality_check (D4)', () => {
    const { doc, line } = withProposal();
    expect(deriveStatus(facts(doc))).toBe('awaiting_approval');
    expect(deriveStatus({ ...facts(doc), stuck: { open: true, reason: 'x', reportedBy: MECHANIC.id, reportedAt: at(6) } })).toBe('stuck');
    decide('declined', doc, line);
    expect(deriveStatus(facts(doc))).toBe('quality_check');
  });

  it('A1: a declined line counts neither for progress, "every item done" nor the total; an approved one does', () => {
    const { doc, line } = withProposal();
    addPricedItem(doc, { title: 'Service', price: 6000 });
    setItemDone(doc, ids(doc).at(-1)!, true, MECHANIC.id, at(3));
    expect(totalOf(facts(doc))).toBe(10500);
    expect(progressOf(facts(doc))).toEqual({ done: 5, total: 6 });
    decide('declined', doc, line);
    expect(totalOf(facts(doc))).toBe(6000);
    expect(progressOf(facts(doc))).toEqual({ done: 5, total: 5 });
    const other = proposeItem(doc, { ...pads, title: 'New chain', price: 3000 });
    decide('approved', doc, other);
    expect(totalOf(facts(doc))).toBe(9000);
    expect(deriveStatus(facts(doc))).toBe('in_progress');
  });

  it('A1/S4/D2: a line proposed after a passed check makes it stale; declining it makes the same check fresh again', () => {
    const doc = jobDoc();
    for (const id of ids(doc)) setItemDone(doc, id, true, MECHANIC.id, at(2));
    recordQc(doc, { pass: true, by: MANAGER.id, at: at(3) });
    expect(deriveStatus(facts(doc))).toBe('ready_for_pickup');
    const line = proposeItem(doc, { ...pads, by: MANAGER.id });
    expect(deriveStatus(facts(doc))).toBe('awaiting_approval');
    decide('declined', doc, line);
    expect(deriveStatus(facts(doc))).toBe('ready_for_pickup');
  });

  it('A1: approving it needs the work done and a new check', () => {
    const { doc, line } = withProposal();
    expect(() => recordQc(doc, { pass: true, by: MANAGER.id, at: at(4) })).toThrow(/not every item/);
    decide('approved', doc, line);
    setItemDone(doc, line, true, MECHANIC.id, at(7));
    expect(deriveStatus(facts(doc))).toBe('quality_check');
  });

  it('A1/S3: a pending or declined line cannot be ticked', () => {
    const { doc, line } = withProposal();
    expectRefusedInput(doc, () => setItemDone(doc, line, true, MECHANIC.id, at(7)), /customer/);
  });
});

describe('P10: a manager adds, renames, re-prices and removes lines that are not done', () => {
  it('P10: adding a priced line, re-pricing and renaming one not done, removing one not done are allowed', () => {
    const doc = jobDoc();
    setItemDone(doc, ids(doc)[0]!, true, MECHANIC.id, at(2));
    expect(attempt(MANAGER, doc, (d) => addPricedItem(d, { title: 'Tyres', price: 8000 }))).toEqual([]);
    expect(attempt(MANAGER, doc, (d) => editItem(d, ids(d)[1]!, { title: 'Gears + cable', price: 1500 }))).toEqual([]);
    expect(attempt(MANAGER, doc, (d) => removeItem(d, ids(d)[1]!))).toEqual([]);
  });

  it('P10: a done line keeps its title and price and is not removed', () => {
    const doc = jobDoc();
    setItemDone(doc, ids(doc)[0]!, true, MECHANIC.id, at(2));
    expect(paths(attempt(MANAGER, doc, (d) => (itemsArray(d).get(0) as Y.Map<unknown>).set('title', 'Other')))).toEqual(['items[0].title']);
    expect(paths(attempt(MANAGER, doc, (d) => (itemsArray(d).get(0) as Y.Map<unknown>).set('price', 100)))).toEqual(['items[0].price']);
    expect(paths(attempt(MANAGER, doc, (d) => removeItem(d, ids(d)[0]!)))).toEqual(['items']);
    expectRefusedInput(doc, () => editItem(doc, ids(doc)[0]!, { title: 'Other' }), /done/);
  });

  it('P10: a decided line stays for the audit; a pending one may be withdrawn', () => {
    const { doc, line } = withProposal();
    expect(attempt(MANAGER, doc, (d) => removeItem(d, line))).toEqual([]);
    decide('declined', doc, line);
    expect(paths(attempt(MANAGER, doc, (d) => removeItem(d, line)))).toEqual(['items']);
  });
});

describe('P11: the assigned mechanic proposes extra work', () => {
  it('P11: a proposal in their own name, with a price, is allowed', () => {
    expect(attempt(MECHANIC, jobDoc(), (d) => proposeItem(d, pads))).toEqual([]);
  });

  it.each<[string, (d: Y.Doc) => void, string[]]>([
    ["in someone else's name", (d) => proposeItem(d, { ...pads, by: OTHER_MECHANIC.id }), ['items[4].proposedBy']],
    ['pre-approved', (d) => (proposeItem(d, pads), decide('approved', d, ids(d)[4]!)), ['items[4].approval']],
    ['a plain priced line', (d) => addPricedItem(d, { title: 'Tyres', price: 10 }), ['items[4].approval', 'items[4].proposedAt', 'items[4].proposedBy']],
    ['without a price', (d) => itemsArray(d).push([ymap({ id: 'p', title: 'x', done: false, approval: 'pending', proposedBy: MECHANIC.id, proposedAt: at(5) })]), ['items[4].price', 'items[4].price']],
    ['with a negative price', (d) => itemsArray(d).push([ymap({ id: 'p', title: 'x', done: false, price: -100, approval: 'pending', proposedBy: MECHANIC.id, proposedAt: at(5) })]), ['items[4].price']],
    ['re-pricing an existing line', (d) => (itemsArray(d).get(0) as Y.Map<unknown>).set('price', 5), ['items[0].price']]
  ])('P11: a proposal %s is refused', (_what, write, expected) => {
    expect(paths(attempt(MECHANIC, jobDoc(), write))).toEqual(expected.sort());
  });

  it('P11: a proposal made offline passes after a concurrent manager edit, wherever the merge put it', () => {
    for (const clientID of [1, 99999]) {
      const server = jobDoc();
      const phone = replicaOf(server, clientID);
      proposeItem(phone, pads);
      addPricedItem(server, { title: 'Tyres', price: 100 });
      const before = readRaw(server);
      send(phone, server);
      expect(checkChange(MECHANIC, before, readRaw(server))).toEqual([]);
    }
  });
});

describe('P12: only the server, for the customer, records a decision', () => {
  it('P12: the share-link writer decides a pending line with what it shows', () => {
    const { doc, line } = withProposal();
    expect(attempt(LINK, doc, (d) => decide('approved', d, line))).toEqual([]);
  });

  it('P12: a manager, a mechanic or a customer setting the decision is refused', () => {
    const { doc, line } = withProposal();
    const approve = (d: Y.Doc) => decide('approved', d, line);
    expect(attempt(MANAGER, doc, approve).length).toBeGreaterThan(0);
    expect(attempt(MECHANIC, doc, approve).length).toBeGreaterThan(0);
    expect(attempt(CUSTOMER, doc, approve).length).toBeGreaterThan(0);
    expect(paths(attempt(MANAGER, doc, (d) => (itemsArray(d).get(4) as Y.Map<unknown>).set('approval', 'approved')))).toContain('items[4].approval');
  });

  it('P12: a decided line is not re-priced or re-titled, nor decided twice', () => {
    const { doc, line } = withProposal();
    decide('approved', doc, line);
    const entry = (d: Y.Doc) => itemsArray(d).get(4) as Y.Map<unknown>;
    expect(paths(attempt(MANAGER, doc, (d) => entry(d).set('price', 1)))).toEqual(['items[4].price']);
    expect(paths(attempt(MANAGER, doc, (d) => entry(d).set('title', 'Pads (cheap)')))).toEqual(['items[4].title']);
    expect(paths(attempt(LINK, doc, (d) => entry(d).set('approval', 'declined')))).toContain('items[4].approval');
    expectRefusedInput(doc, () => decide('declined', doc, line), /already approved/);
  });

  it('P12: the share-link writer changes nothing else, and records exactly the title and price', () => {
    const { doc, line } = withProposal();
    expect(paths(attempt(LINK, doc, (d) => (itemsArray(d).get(0) as Y.Map<unknown>).set('title', 'x')))).toEqual(['items[0].title']);
    const wrong = (d: Y.Doc) => decideApproval(d, line, { decision: 'approved', at: at(6), via: 'other-link', title: pads.title, price: pads.price });
    expect(paths(attempt(LINK, doc, wrong))).toEqual(['items[4].decidedVia']);
    expectRefusedInput(doc, () => decideApproval(doc, line, { decision: 'approved', at: at(6), via: LINK.id, title: pads.title, price: 100 }), /changed since/);
  });
});

describe('E10, E11: who is told', () => {
  it('E10: a new pending line asks the customer once; it is moot once decided', () => {
    const { doc, line } = withProposal();
    const before = facts(jobDoc());
    const events = deriveEvents(before, facts(doc)).filter((e) => e.kind === 'approval_requested');
    expect(events).toEqual([{ kind: 'approval_requested', key: `approval_requested:${line}`, itemId: line, jobId: 'job-1' }]);
    expect(deriveEvents(facts(doc), facts(doc))).toEqual([]);
    decide('approved', doc, line);
    expect(isEventMoot(events[0]!, facts(doc))).toBe(true);
  });

  it('E11: a decision tells the assignee (and the managers: recipients) once', () => {
    const { doc, line } = withProposal();
    const before = facts(doc);
    decide('declined', doc, line);
    const events = deriveEvents(before, facts(doc)).filter((e) => e.kind.startsWith('approval'));
    expect(events).toEqual([{ kind: 'approval_decided', key: `approval_decided:${line}`, itemId: line, note: 'declined', mechanicId: MECHANIC.id, jobId: 'job-1' }]);
  });
});

describe('V2: the customer sees approval lines and the total', () => {
  it('V2: title, price, reason, state and time — not who proposed or through which link', () => {
    const { doc, line } = withProposal();
    decide('approved', doc, line);
    const view = publicView(facts(doc), at(9));
    expect(view.approvals).toEqual([{ itemId: line, title: pads.title, price: 4500, reason: pads.reason, state: 'approved', decidedAt: at(6), photoIds: [] }]);
    expect(view.total).toBe(4500);
    expect(JSON.stringify(view)).not.toContain(LINK.id);
    expect(JSON.stringify(view)).not.toContain(MECHANIC.id);
  });
});

describe('A4: decisions and edits made apart converge', () => {
  it('A4: a proposal made offline on the phone, decided on the server, merges the same on both', () => {
    const server = jobDoc();
    const phone = replicaOf(server, 7);
    const line = proposeItem(phone, pads);
    setItemDone(phone, ids(phone)[0]!, true, MECHANIC.id, at(5));
    send(phone, server);
    decide('approved', server, line);
    send(server, phone);
    expect(readJob(phone)).toEqual(readJob(server));
    expect(deriveStatus(readJob(phone))).toBe('in_progress');
  });
});

it('A5: money is shown in the workshop currency', () => {
  expect(formatMoney(4500, 'EUR')).toBe('€45.00');
  expect(formatMoney(4500, 'XXX1')).toBe('45.00 XXX1');
});

function ymap(values: Record<string, unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(values)) map.set(k, v);
  return map;
}
