// The page's one way to defer work a task (web/src/next-task.js): after the current task and its microtasks, in the
// order asked, and a cancelled call never runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { inNextTask, nextTask } from '../../web/src/next-task.js';

test('inNextTask runs after the current task and its microtasks, in order; nextTask resolves in a new task', async () => {
    /** @type {string[]} */
    const seen = [];
    inNextTask(() => seen.push('first'));
    inNextTask(() => seen.push('second'));
    queueMicrotask(() => seen.push('microtask'));
    seen.push('sync');
    assert.deepEqual(seen, ['sync']);
    await nextTask();
    await nextTask();
    assert.deepEqual(seen, ['sync', 'microtask', 'first', 'second']);
});

test('a cancelled inNextTask never runs; cancelling after it ran changes nothing', async () => {
    let runs = 0;
    const cancel = inNextTask(() => { runs += 1; });
    cancel();
    await nextTask();
    await sleep(20);
    assert.equal(runs, 0);
    const late = inNextTask(() => { runs += 1; });
    await nextTask();
    await nextTask();
    assert.equal(runs, 1);
    late();
    assert.equal(runs, 1);
});
