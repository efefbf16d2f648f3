// @ts-check
// Data that stays current while the page is open: loaded at once, again every 60 s while the tab is visible,
// never while it is hidden, again as soon as it is visible or back online, and on demand. A failed load keeps the
// last data (marked stale by the caller) and retries with a growing delay (5 s, 10 s, 20 s … at most 2 min).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { describe } from './errors.js';

export const REFRESH_MS = 60_000;
/** A document whose numbers are not ready yet (the KPI facts of a new database or coach) is asked again this soon. */
export const PREPARING_MS = 3_000;
const RETRY_FIRST_MS = 5_000;
const RETRY_MAX_MS = 120_000;

/** @param {number} failures */
export const retryDelay = (failures) => Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.max(0, failures - 1));

/**
 * @template T
 * @typedef {{ data: T | null, problem: import('./errors.js').Problem | null, loading: boolean,
 *   loadedAt: number | null, failures: number, retryAt: number | null, preparing: boolean }} LiveState
 */

/**
 * @template T
 * @param {() => Promise<T>} load the fetch; it must change identity when what it loads changes (a new key)
 * @param {string} key what is loaded (period, coach): a new key drops nothing on screen but reloads at once
 * @param {{ ready?: (data: T) => boolean }} [options] ready: false for data that is not ready yet (it is shown, marked
 *   `preparing`, and loaded again after PREPARING_MS)
 * @returns {LiveState<T> & { refresh: () => void }}
 */
export function useLive(load, key, { ready = () => true } = {}) {
    const [state, setState] = useState(/** @type {LiveState<T>} */ ({
        data: null, problem: null, loading: true, loadedAt: null, failures: 0, retryAt: null, preparing: false,
    }));
    const timer = useRef(/** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined));
    const generation = useRef(0);
    const failures = useRef(0);

    const run = useCallback(async () => {
        clearTimeout(timer.current);
        if (document.visibilityState === 'hidden') return; // resumed by visibilitychange
        const mine = ++generation.current;
        setState((s) => ({ ...s, loading: true }));
        /** @type {T | undefined} */
        let data;
        /** @type {unknown} */
        let failure = null;
        try {
            data = await load();
        } catch (e) {
            failure = e ?? new Error('unknown');
        }
        if (mine !== generation.current) return; // a newer load (another period, a refresh) answers instead
        if (failure) {
            const problem = describe(failure);
            failures.current += 1;
            const delay = problem.retry ? retryDelay(failures.current) : null;
            if (delay != null) timer.current = setTimeout(run, delay);
            setState((s) => ({ ...s, problem, loading: false, failures: failures.current, retryAt: delay == null ? null : Date.now() + delay }));
            return;
        }
        failures.current = 0;
        const preparing = !ready(/** @type {T} */ (data));
        timer.current = setTimeout(run, preparing ? PREPARING_MS : REFRESH_MS);
        setState({ data: /** @type {T} */ (data), problem: null, loading: false, loadedAt: Date.now(), failures: 0, retryAt: null, preparing });
    }, [load]);

    useEffect(() => {
        failures.current = 0;
        run();
        const onVisibility = () => {
            if (document.visibilityState === 'hidden') clearTimeout(timer.current);
            else run();
        };
        document.addEventListener('visibilitychange', onVisibility);
        window.addEventListener('online', run);
        return () => {
            generation.current += 1;
            clearTimeout(timer.current);
            document.removeEventListener('visibilitychange', onVisibility);
            window.removeEventListener('online', run);
        };
    }, [run, key]);

    return { ...state, refresh: run };
}
