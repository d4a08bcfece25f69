"""Sign-in, sign-out, the roles and their permissions, and the manage commands."""
