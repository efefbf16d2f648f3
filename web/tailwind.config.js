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
};
