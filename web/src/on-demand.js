// @ts-check
// A component whose code is loaded when it is first shown (import(): a chunk of its own, outside the first load).
// Until the chunk is there it shows `placeholder` (or nothing); a chunk that fails to load is a render error for the
// nearest ErrorBoundary ("Réessayer" mounts it again, which loads it again).
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * `load` called once and its promise kept; a failure is not kept: the next call loads again (a chunk that failed to
 * load on a cut network comes once it is back).
 * @template T @param {() => Promise<T>} load @returns {() => Promise<T>}
 */
export const loadOnce = (load) => {
    /** @type {Promise<T> | undefined} */
    let pending;
    return () => (pending ??= load().catch((e) => {
        pending = undefined;
        throw e;
    }));
};

/**
 * @template P
 * @param {() => Promise<import('preact').FunctionComponent<P>>} load the component, from `import('./x.js').then((m) => m.X)`
 * @param {() => import('preact').ComponentChild} [placeholder]
 * @returns {import('preact').FunctionComponent<P> & { preload: () => Promise<unknown> }} `preload()` fetches the code
 *   ahead (e.g. while the data loads), so the component renders at once when it is first shown
 */
export function onDemand(load, placeholder) {
    /** @type {import('preact').FunctionComponent<P> | undefined} */
    let component;
    const get = loadOnce(() => load().then((c) => { component = c; }));
    /** @param {P} props */
    const OnDemand = (props) => {
        const [failure, setFailure] = useState(/** @type {unknown} */ (null));
        const [, setLoaded] = useState(false);
        useEffect(() => {
            if (component) return;
            let live = true;
            get().then(() => live && setLoaded(true), (e) => live && setFailure(e));
            return () => { live = false; };
        }, []);
        if (failure) throw failure;
        return component ? h(/** @type {any} */ (component), /** @type {any} */ (props)) : placeholder ? placeholder() : null;
    };
    return Object.assign(OnDemand, { preload: () => get().catch(() => undefined) });
}
