"""No tables of its own: users and roles are Django's (``auth``).

The module exists so that Django sends this app ``post_migrate``, which keeps the role
groups in step with :mod:`console.accounts.roles`.
"""
