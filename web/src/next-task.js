// @ts-check
// "A task later", the one way the page defers work: a message the page posts to itself (MessageChannel). Not a timer:
// it runs at once where timers wait (nested setTimeout 0 waits at least 4 ms after five levels, background tabs are
// throttled, a test's paused clock stops them), and the browser can still paint and handle input before it runs.

/**
 * Calls `fn` in a new task. Returns a function that cancels the call (if it has not run yet).
 * @param {() => void} fn
 * @returns {() => void}
 */
export const inNextTask = (fn) => {
    const channel = new MessageChannel();
    let live = true;
    channel.port1.onmessage = () => {
        channel.port1.close();
        if (live) fn();
    };
    channel.port2.postMessage(null);
    return () => {
        live = false;
        channel.port1.close();
    };
};

/** A promise that resolves in a new task (see inNextTask). @returns {Promise<void>} */
export const nextTask = () => new Promise((resolve) => { inNextTask(resolve); });
