-- +goose Up
-- The planner's JIT compilation never pays for itself on the application's
-- short statements: a deep page of the audit list spent 300 ms of its 320
-- compiling, and once a pooled connection turned the statement into a
-- generic plan every page paid it, the first too (a speed probe). It is
-- turned off for the role the application connects as, on the server's
-- side: a client setting in the startup packet is refused by PgBouncer,
-- which the Kubernetes deployment puts in front of the database (its
-- connect_query turns it off too, for a deployment whose application role
-- is not the one that migrates). It applies to sessions opened after this.
ALTER ROLE CURRENT_USER SET jit = off;

-- +goose Down
ALTER ROLE CURRENT_USER RESET jit;
