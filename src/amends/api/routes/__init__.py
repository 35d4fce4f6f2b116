"""API routes, one module per capability; router.py mounts them."""
