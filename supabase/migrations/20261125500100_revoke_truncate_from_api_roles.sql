-- Purpose: anon and authenticated lose TRUNCATE on public tables (Supabase's default grants include it, and RLS does not stop it).

revoke truncate on all tables in schema public from anon, authenticated;

alter default privileges for role postgres in schema public revoke truncate on tables from anon, authenticated;
