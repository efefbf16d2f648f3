// @ts-check
// /admin (admins only): creates a coach through the create-coach edge function, called with the admin's own
// session (never a service role key in the browser), and shows the magic link to hand over.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { ArrowLeft, Copy, LogOut, UserPlus } from 'lucide-preact';
import { FunctionsHttpError } from '@supabase/functions-js';
import { supabase } from '../supabase.js';
import { BUTTON, CARD, GHOST_BUTTON, INPUT, Page, Toast } from '../ui.js';

const SPECIALTIES = ['fitness', 'musculation', 'yoga', 'pilates', 'nutrition', 'running', 'crossfit', 'perte de poids'];

/** The function's own error, as it answered (JSON `{error, field?}` or text). @param {unknown} error */
async function functionError(error) {
    if (error instanceof FunctionsHttpError) {
        /** @type {Response} */
        const res = error.context;
        const text = await res.text().catch(() => '');
        let message = text;
        try {
            const body = JSON.parse(text);
            message = [body.error ?? body.message ?? body.msg, body.field && `(champ : ${body.field})`].filter(Boolean).join(' ') || text;
        } catch {
            /* not JSON: show the text */
        }
        return `Erreur ${res.status} : ${message || res.statusText}`;
    }
    return error instanceof Error ? error.message : String(error);
}

export function AdminPage() {
    const [form, setForm] = useState({ email: '', name: '', specialty: '' });
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState('');
    const [created, setCreated] = useState(/** @type {{ coach_id: string, magic_link: string, email: string } | null} */ (null));
    const [toast, setToast] = useState(/** @type {string | null} */ (null));

    const field = (/** @type {'email' | 'name' | 'specialty'} */ k) => (/** @type {any} */ e) =>
        setForm({ ...form, [k]: e.currentTarget.value });

    /** @param {Event} e */
    const submit = async (e) => {
        e.preventDefault();
        setBusy(true);
        setError('');
        setCreated(null);
        const body = { email: form.email.trim(), name: form.name.trim(), specialty: form.specialty.trim() };
        const { data, error: err } = await supabase.functions.invoke('create-coach', { body });
        setBusy(false);
        if (err) return setError(await functionError(err));
        setCreated({ ...data, email: body.email });
        setForm({ email: '', name: '', specialty: '' });
    };

    const copy = async () => {
        if (!created) return;
        try {
            await navigator.clipboard.writeText(created.magic_link);
            setToast('Lien copié.');
        } catch {
            /** @type {HTMLInputElement | null} */ (document.getElementById('magic-link'))?.select();
            setToast('Copiez le lien sélectionné (Ctrl+C).');
        }
    };

    return html`<${Page}>
        <header class="mb-6 flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-2xl font-bold sm:text-3xl">Administration</h1>
            <div class="flex gap-2">
                <a class=${GHOST_BUTTON} href="/dashboard"><${ArrowLeft} size=${16} aria-hidden="true" />Tableau de bord</a>
                <button type="button" class=${GHOST_BUTTON} onClick=${() => supabase.auth.signOut()} data-testid="sign-out">
                    <${LogOut} size=${16} aria-hidden="true" />Se déconnecter
                </button>
            </div>
        </header>
        <main class="mx-auto max-w-xl space-y-4">
            <form class=${`${CARD} space-y-4 p-6`} onSubmit=${submit} data-testid="create-coach-form">
                <h2 class="flex items-center gap-2 text-lg font-semibold"><${UserPlus} size=${20} aria-hidden="true" />Créer un coach</h2>
                <label class="block text-sm"><span class="mb-1 block text-white/80">Email</span>
                    <input class=${INPUT} type="email" name="email" required value=${form.email} onInput=${field('email')} /></label>
                <label class="block text-sm"><span class="mb-1 block text-white/80">Nom</span>
                    <input class=${INPUT} name="name" required value=${form.name} onInput=${field('name')} /></label>
                <label class="block text-sm"><span class="mb-1 block text-white/80">Spécialité</span>
                    <input class=${INPUT} name="specialty" list="specialties" required value=${form.specialty} onInput=${field('specialty')} />
                    <datalist id="specialties">${SPECIALTIES.map((s) => html`<option key=${s} value=${s} />`)}</datalist></label>
                ${error && html`<p role="alert" class="rounded-lg border border-red-400/40 bg-red-500/15 px-3 py-2 text-sm text-red-200" data-testid="admin-error">${error}</p>`}
                <button class=${`${BUTTON} w-full py-3`} type="submit" disabled=${busy}>${busy ? 'Création…' : 'Créer le coach'}</button>
            </form>
            ${created &&
            html`<div class=${`${CARD} space-y-3 border-emerald-400/40 p-6`} data-testid="created">
                <p class="font-semibold text-emerald-200">Coach créé : ${created.email}</p>
                <p class="text-sm text-white/70">Envoyez-lui ce lien de connexion (usage unique) : il arrivera connecté et pourra choisir son mot de passe.</p>
                <div class="flex gap-2">
                    <input id="magic-link" class=${`${INPUT} font-mono text-xs`} readonly value=${created.magic_link}
                        data-testid="magic-link" onFocus=${(/** @type {any} */ e) => e.currentTarget.select()} />
                    <button type="button" class=${BUTTON} onClick=${copy} aria-label="Copier le lien"><${Copy} size=${16} aria-hidden="true" /></button>
                </div>
                <p class="text-xs text-white/50">Identifiant : <span class="font-mono" data-testid="coach-id">${created.coach_id}</span></p>
            </div>`}
        </main>
        <${Toast} message=${toast} tone="success" onClose=${() => setToast(null)} />
    <//>`;
}
