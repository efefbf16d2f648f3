// @ts-check
// /login: email + password. A magic link lands signed in (the auth client reads the URL fragment) and the
// dashboard then offers to set a password.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { LogIn } from 'lucide-preact';
import { supabase, linkError } from '../supabase.js';
import { BUTTON, CARD, INPUT, Page } from '../ui.js';

/** @param {import('@supabase/auth-js').AuthError} error */
const loginMessage = (error) =>
    error.code === 'invalid_credentials' || /invalid login credentials/i.test(error.message)
        ? 'Email ou mot de passe incorrect.'
        : error.status === 429
          ? 'Trop de tentatives : réessayez dans quelques minutes.'
          : `Connexion impossible : ${error.message}`;

export function LoginPage() {
    const [email, setEmail] = useState('');
    const [password, setPassword] = useState('');
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState(linkError ? `Lien de connexion invalide ou expiré (${linkError}).` : '');

    /** @param {Event} e */
    const submit = async (e) => {
        e.preventDefault();
        setBusy(true);
        setError('');
        const { error: err } = await supabase.auth.signInWithPassword({ email: email.trim(), password });
        setBusy(false);
        if (err) setError(loginMessage(err)); // on success the session listener routes to the dashboard
    };

    return html`<${Page} narrow>
        <main class="flex min-h-[80vh] flex-col justify-center">
            <div class="mb-8 text-center">
                <div class="mx-auto mb-4 w-fit rounded-2xl bg-gradient-to-br from-blue-500 to-purple-600 p-3"><${LogIn} size=${28} aria-hidden="true" /></div>
                <h1 class="text-3xl font-bold">Coach Setter</h1>
                <p class="mt-1 text-white/60">Le tableau de bord de votre setter IA</p>
            </div>
            <form class=${`${CARD} space-y-4 p-6`} onSubmit=${submit} data-testid="login-form">
                <label class="block text-sm">
                    <span class="mb-1 block text-white/80">Email</span>
                    <input class=${INPUT} type="email" name="email" autocomplete="email" required value=${email}
                        placeholder="vous@exemple.com" onInput=${(/** @type {any} */ e) => setEmail(e.currentTarget.value)} />
                </label>
                <label class="block text-sm">
                    <span class="mb-1 block text-white/80">Mot de passe</span>
                    <input class=${INPUT} type="password" name="password" autocomplete="current-password" required value=${password}
                        onInput=${(/** @type {any} */ e) => setPassword(e.currentTarget.value)} />
                </label>
                ${error && html`<p role="alert" class="rounded-lg border border-red-400/40 bg-red-500/15 px-3 py-2 text-sm text-red-200" data-testid="login-error">${error}</p>`}
                <button class=${`${BUTTON} w-full py-3`} type="submit" disabled=${busy}>${busy ? 'Connexion…' : 'Se connecter'}</button>
            </form>
            <p class="mt-4 text-center text-xs text-white/50">Pas encore de compte ? Votre administrateur vous envoie un lien de connexion.</p>
        </main>
    <//>`;
}
