// @ts-check
// /login: email + password. A magic link lands signed in (the auth client reads the URL fragment) and the
// dashboard then offers to set a password.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { LogIn } from 'lucide-preact';
import { supabase, linkError, isAdmin } from '../supabase.js';
import { prefetchDashboard } from '../api.js';
import { DEFAULT_PERIOD } from '../period.js';
import { loginMessage } from '../errors.js';
import { BUTTON, CARD, INPUT, Page } from '../ui.js';

const LINK_ERROR = 'Ce lien de connexion n’est plus valable (déjà utilisé ou expiré). Demandez-en un nouveau à votre administrateur.';

export function LoginPage() {
    const [email, setEmail] = useState('');
    const [password, setPassword] = useState('');
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState(linkError ? LINK_ERROR : '');

    /** @param {Event} e */
    const submit = async (e) => {
        e.preventDefault();
        if (!email.trim() || !password) return setError('Indiquez votre email et votre mot de passe.');
        setBusy(true);
        setError('');
        let err;
        try {
            const { data, error: failed } = await supabase.auth.signInWithPassword({ email: email.trim(), password });
            err = failed;
            // a coach lands on its dashboard (30 j): its document is asked for now, while the page gets there
            if (!failed && data.session && !isAdmin(data.session)) prefetchDashboard(DEFAULT_PERIOD.key);
        } catch (e) {
            err = e;
        }
        setBusy(false);
        if (err) setError(loginMessage(err)); // on success the session listener routes to the dashboard
    };

    return html`<${Page} narrow>
        <main id="main" tabindex="-1" class="flex min-h-[80vh] flex-col justify-center">
            <div class="mb-8 text-center">
                <div class="mx-auto mb-4 w-fit rounded-2xl bg-gradient-to-br from-blue-500 to-purple-600 p-3"><${LogIn} size=${28} aria-hidden="true" /></div>
                <h1 class="text-3xl font-bold">Coach Setter</h1>
                <p class="mt-1 text-white/80">Le tableau de bord de votre setter IA</p>
            </div>
            <form class=${`${CARD} space-y-4 p-6`} onSubmit=${submit} noValidate data-testid="login-form">
                <label class="block text-sm">
                    <span class="mb-1 block text-white">Email</span>
                    <input class=${INPUT} type="email" name="email" autocomplete="email" required value=${email}
                        placeholder="vous@exemple.com" onInput=${(/** @type {any} */ e) => setEmail(e.currentTarget.value)} />
                </label>
                <label class="block text-sm">
                    <span class="mb-1 block text-white">Mot de passe</span>
                    <input class=${INPUT} type="password" name="password" autocomplete="current-password" required value=${password}
                        onInput=${(/** @type {any} */ e) => setPassword(e.currentTarget.value)} />
                </label>
                ${error && html`<p role="alert" class="rounded-lg border border-red-400/40 bg-red-500/15 px-3 py-2 text-sm text-red-100" data-testid="login-error">${error}</p>`}
                <button class=${`${BUTTON} w-full py-3`} type="submit" disabled=${busy}>${busy ? 'Connexion…' : 'Se connecter'}</button>
            </form>
            <p class="mt-4 text-center text-xs text-white/80">Pas encore de compte ? Votre administrateur vous envoie un lien de connexion.</p>
        </main>
    <//>`;
}
