// @ts-check
// Offered once after a magic link: set a password for the next sign-ins (supabase.auth.updateUser).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { KeyRound } from 'lucide-preact';
import { supabase } from '../../supabase.js';
import { passwordMessage } from '../../form-errors.js';
import { BUTTON, Card, GHOST_BUTTON, INPUT } from '../../ui.js';

/** @param {{ onDone: () => void, notify: (message: string, tone?: 'error' | 'success') => void }} props */
export const SetPassword = ({ onDone, notify }) => {
    const [password, setPassword] = useState('');
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState('');
    /** @param {Event} e */
    const submit = async (e) => {
        e.preventDefault();
        if (password.length < 8) return setError('Mot de passe trop court : 8 caractères minimum.');
        setBusy(true);
        setError('');
        const { error: err } = await supabase.auth.updateUser({ password });
        setBusy(false);
        if (err) return setError(passwordMessage(err));
        notify('Mot de passe enregistré.', 'success');
        onDone();
    };
    return html`<${Card} class="border-blue-400/40" testid="set-password">
        <form class="flex flex-col gap-3 sm:flex-row sm:items-end" onSubmit=${submit} noValidate>
            <label class="flex-1 text-sm">
                <span class="mb-1 flex items-center gap-2 font-semibold"><${KeyRound} size=${16} aria-hidden="true" />
                    Bienvenue ! Choisissez un mot de passe pour vos prochaines connexions.</span>
                <input class=${INPUT} type="password" autocomplete="new-password" placeholder="8 caractères minimum" value=${password}
                    aria-invalid=${!!error} aria-describedby=${error ? 'set-password-error' : undefined}
                    onInput=${(/** @type {any} */ e) => setPassword(e.currentTarget.value)} />
            </label>
            <div class="flex gap-2">
                <button class=${BUTTON} type="submit" disabled=${busy}>Enregistrer</button>
                <button class=${GHOST_BUTTON} type="button" onClick=${onDone}>Plus tard</button>
            </div>
        </form>
        ${error && html`<p id="set-password-error" role="alert" class="mt-2 text-sm text-red-200">${error}</p>`}
    <//>`;
};
