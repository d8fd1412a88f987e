-- Runs once, when the PostgreSQL volume is created: the app database and the tracker store are
-- two databases (Alembic manages the first, Rasa the second; README "PostgreSQL and Redis").
-- The image's POSTGRES_DB (coopilote) is the app database; this adds the tracker store.
CREATE DATABASE coopilote_tracker OWNER coopilote;
