// @ts-check
// The page's icons are lucide's (`import { Info } from 'lucide-preact'` in the sources, for their names and types), but
// the build (scripts/build-web.mjs, plugin lightLucide) makes each one with lightIcon from lucide's own icon data: one
// function component that renders the same <svg> and children, instead of lucide-preact's two components, its
// context lookup and its attribute building per icon, and with the six attributes every icon shares (fill, stroke and
// its width, caps and joins, xmlns) in the stylesheet (.lucide in styles.css) rather than set on each of the ~60 icons
// of a phone's first load.
import { h } from 'preact';

/** @typedef {[string, Record<string, string>]} IconChild */
/** @typedef {{ name: string, size?: number, node: IconChild[] }} IconData */

/**
 * A component drawing lucide's icon `data`: props as lucide-preact's (`size`, `class`, `color`, `strokeWidth`, any
 * attribute); hidden from assistive technologies (aria-hidden) unless it has a label, a role, a title or children.
 * @param {IconData} data
 */
export const lightIcon = (data) => {
    const base = `lucide lucide-${data.name}`;
    const viewBox = `0 0 ${data.size ?? 24} ${data.size ?? 24}`;
    /** @param {Record<string, any>} props */
    const LightIcon = ({ size = 24, class: cls, className, color, strokeWidth, children, ...rest }) => {
        let labelled = children != null;
        for (const k in rest) labelled ||= k.startsWith('aria-') || k === 'role' || k === 'title';
        const style = color != null || strokeWidth != null ? { stroke: color, strokeWidth } : undefined;
        const extra = [cls, className].filter(Boolean).join(' ');
        return h('svg', {
            width: size, height: size, viewBox, class: extra ? `${base} ${extra}` : base, style,
            ...(labelled ? {} : { 'aria-hidden': 'true' }), ...rest,
        }, data.node.map(([tag, attrs]) => h(tag, attrs)), children);
    };
    return LightIcon;
};
