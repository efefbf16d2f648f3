// Tailwind, compiled at build time (scripts/build-web.mjs): only the classes web/src uses end up in the stylesheet.
/** @type {import('tailwindcss').Config} */
export default {
    content: { relative: true, files: ['./index.html', './src/**/*.{js,ts}'] },
    theme: {
        extend: {
            fontFamily: {
                sans: ['system-ui', '-apple-system', 'Segoe UI', 'Roboto', 'Helvetica Neue', 'Arial', 'sans-serif'],
            },
        },
    },
    plugins: [],
    // the defaults of Tailwind's variables (--tw-ring-*, --tw-shadow, --tw-translate-*… 51 of them) only on the
    // elements whose classes use them, not on every element and its ::before and ::after (`*, ::before, ::after`):
    // the browser then computes far fewer custom properties at each style recalculation of the page
    experimental: { optimizeUniversalDefaults: true },
};
