// @ts-check
// Data that stays current while the page is open, without reloading it for nothing. While the tab is visible the
// page asks a tiny RPC every 5 s for the version of the coach's numbers (get_dashboard_version: when the KPI upkeep
// last changed them, and its last pass) and loads the document again only when that version changed; never while the
// tab is hidden; at once when it is visible again or back online. "Actualiser" waits for the upkeep's pass in
// progress (the first one that started after the click, so what n8n delivered just before is in it), then loads.
// Numbers that are not ready yet (a new database or coach before the upkeep's first pass) are asked again after 3 s.
// A failed request keeps the last data (marked stale by the caller) and retries with a growing delay (5 s, 10 s,
// 20 s … at most 2 min). Without the version RPC on the server (migrations not pushed yet), the document is simply
// loaded again every 60 s.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { describe } from './errors.js';
import { nextTask } from './next-task.js';

export const POLL_MS = 5_000;
/** Without the version RPC: the whole document again this often. */
export const REFRESH_MS = 60_000;
/** A document whose numbers are not ready yet is asked again this soon. */
export const PREPARING_MS = 3_000;
/** "Actualiser" checks this often whether the upkeep's pass is done, for at most REFRESH_WAIT_MS. */
export const REFRESH_CHECK_MS = 1_000;
export const REFRESH_WAIT_MS = 15_000;
const RETRY_FIRST_MS = 5_000;
const RETRY_MAX_MS = 120_000;

/** @param {number} failures */
export const retryDelay = (failures) => Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.max(0, failures - 1));

/**
 * What get_dashboard_version() answers: `version` changes whenever the coach's numbers change (null before they are
 * first computed), `last_updated` is the upkeep's last pass (null before the first), `now` the server's clock.
 * @typedef {{ version: string | null, last_updated: string | null, now: string }} Version
 */

/**
 * Microseconds since the epoch of a timestamp of the database (its ISO text keeps the microseconds that Date drops).
 * @param {string | null | undefined} iso
 */
export const micros = (iso) => {
    const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?(.*)$/.exec(iso ?? '');
    const seconds = m ? Date.parse(`${m[1]}${m[3]}`) : NaN;
    return Number.isFinite(seconds) ? seconds * 1000 + Number((m?.[2] ?? '').padEnd(6, '0')) : NaN;
};

/**
 * The version a document is known to be at least as new as. Its two requests ran side by side, so the version may
 * have been read after a pass the document missed. The upkeep writes a coach's documents and the last pass's time in
 * the same pass, at that pass's start (`version` starts with the documents' time, in microseconds): when that time is
 * not after the last pass the document saw (its last_updated), the document already had those documents. Otherwise
 * (a pass in between, or a repair walk) it is not known, and the next check loads the document again.
 * @param {Version | null} version @param {{ last_updated: string | null }} doc @returns {string | null | undefined}
 */
export const versionOfDocument = (version, doc) => {
    if (!version) return null;
    const computed = Number(version.version?.split('/')[0]);
    return version.version != null && (!computed || computed <= micros(doc.last_updated)) ? version.version : undefined;
};

/**
 * @template T
 * @typedef {{ data: T | null, problem: import('./errors.js').Problem | null, loading: boolean, waiting: boolean,
 *   loadedAt: number | null, failures: number, retryAt: number | null, preparing: boolean,
 *   lastUpdated: string | null }} LiveState
 * `waiting`: "Actualiser" is waiting for the upkeep's pass; `lastUpdated`: the upkeep's last pass as last seen (the
 * document's, or a later version check's: the numbers on screen are still those of that pass)
 */

/**
 * @template T
 * @param {() => Promise<T>} load the fetch; it must change identity when what it loads changes (a new key)
 * @param {string} key what is loaded (period, coach): a new key drops nothing on screen but reloads at once
 * @param {{ ready?: (data: T) => boolean, version?: () => Promise<Version | null>, versionOf?: (data: T) => string | null | undefined,
 *   updatedAt?: (data: T) => string | null }} [options]
 *   ready: false for data that is not ready yet (it is shown, marked `preparing`, and loaded again after PREPARING_MS);
 *   version: the tiny RPC (it answers null when the server does not have it); versionOf: the version the data is known
 *   to be at least as new as (undefined: not known, the next check loads the data again; null: the server has no
 *   version, the data is loaded again every REFRESH_MS);
 *   updatedAt: the data's own last_updated
 * @returns {LiveState<T> & { refresh: () => void }}
 */
export function useLive(load, key, { ready = () => true, version, versionOf = () => null, updatedAt = () => null } = {}) {
    const [state, setState] = useState(/** @type {LiveState<T>} */ ({
        data: null, problem: null, loading: true, waiting: false, loadedAt: null, failures: 0, retryAt: null, preparing: false, lastUpdated: null,
    }));
    const timer = useRef(/** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined));
    const generation = useRef(0);
    const failures = useRef(0);
    /** the version of the data on screen (undefined: none known; null: the server has no version RPC) */
    const known = useRef(/** @type {string | null | undefined} */ (undefined));
    const hasData = useRef(false);

    const hidden = () => document.visibilityState === 'hidden';

    /** A failed request: keep what is shown, retry later if that can help. @param {number} mine @param {unknown} e @param {() => void} again */
    const failed = (mine, e, again) => {
        if (mine !== generation.current) return;
        const problem = describe(e ?? new Error('unknown'));
        failures.current += 1;
        const delay = problem.retry ? retryDelay(failures.current) : null;
        if (delay != null) timer.current = setTimeout(again, delay);
        setState((s) => ({ ...s, problem, loading: false, waiting: false, failures: failures.current, retryAt: delay == null ? null : Date.now() + delay }));
    };

    /** The data (with its version). */
    const run = useCallback(async () => {
        clearTimeout(timer.current);
        if (hidden()) return; // resumed by visibilitychange
        const mine = ++generation.current;
        setState((s) => ({ ...s, loading: true }));
        let data;
        try {
            data = await load();
        } catch (e) {
            return failed(mine, e, run);
        }
        // the answers are read in the task that received them, the page renders them in the next one (one long task
        // less: reading and rendering together held up a phone's main thread)
        await nextTask();
        if (mine !== generation.current) return; // a newer load (another period, a refresh) answers instead
        failures.current = 0;
        known.current = version ? versionOf(/** @type {T} */ (data)) : null;
        hasData.current = true;
        const preparing = !ready(/** @type {T} */ (data));
        if (preparing) timer.current = setTimeout(run, PREPARING_MS);
        else if (known.current === null) timer.current = setTimeout(run, REFRESH_MS);
        else timer.current = setTimeout(poll, POLL_MS);
        setState({
            data: /** @type {T} */ (data), problem: null, loading: false, waiting: false, loadedAt: Date.now(), failures: 0, retryAt: null,
            preparing, lastUpdated: updatedAt(/** @type {T} */ (data)),
        });
    }, [load]);

    /** The version check: the data again only when the version changed. */
    const poll = useCallback(async () => {
        clearTimeout(timer.current);
        if (hidden()) return;
        if (!version || !hasData.current || known.current === null) return run();
        const mine = generation.current;
        let v;
        try {
            v = await version();
        } catch (e) {
            return failed(mine, e, poll);
        }
        if (mine !== generation.current) return;
        if (!v || known.current === undefined || v.version !== known.current) return run();
        failures.current = 0;
        timer.current = setTimeout(poll, POLL_MS);
        // nothing new: the same state, so the page does not render again every 10 s
        const seen = v.last_updated;
        setState((s) => (s.problem === null && s.failures === 0 && s.retryAt === null && (seen ?? s.lastUpdated) === s.lastUpdated ? s
            : { ...s, problem: null, failures: 0, retryAt: null, lastUpdated: seen ?? s.lastUpdated }));
    }, [run]);

    /**
     * "Actualiser": waits until the upkeep's last pass started after this moment (server clock), so every change
     * committed before the click is counted, then loads. At most REFRESH_WAIT_MS: a late upkeep does not hold the
     * button (the data is then loaded as it is).
     */
    const refresh = useCallback(async () => {
        clearTimeout(timer.current);
        if (!version || known.current === null) return run();
        const mine = ++generation.current;
        setState((s) => ({ ...s, loading: true, waiting: true }));
        const until = Date.now() + REFRESH_WAIT_MS;
        try {
            const first = await version();
            const since = first ? Date.parse(first.now) : NaN;
            for (let v = first; v && Date.parse(v.last_updated ?? '') < since && Date.now() < until;) {
                await new Promise((resolve) => { timer.current = setTimeout(resolve, REFRESH_CHECK_MS); });
                if (mine !== generation.current) return;
                v = await version();
            }
        } catch (e) {
            return failed(mine, e, run);
        }
        if (mine !== generation.current) return;
        run();
    }, [run]);

    useEffect(() => {
        failures.current = 0;
        run();
        const onVisibility = () => {
            if (hidden()) clearTimeout(timer.current);
            else poll();
        };
        document.addEventListener('visibilitychange', onVisibility);
        window.addEventListener('online', poll);
        return () => {
            generation.current += 1;
            clearTimeout(timer.current);
            document.removeEventListener('visibilitychange', onVisibility);
            window.removeEventListener('online', poll);
        };
    }, [run, key]);

    return { ...state, refresh };
}
